from invoicer.cli import main

main()
