from reprolint.cli import main

main()
