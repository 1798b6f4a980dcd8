from trialoog.cli import main

main()
