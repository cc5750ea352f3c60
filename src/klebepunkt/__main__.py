from klebepunkt.cli import main

main()
