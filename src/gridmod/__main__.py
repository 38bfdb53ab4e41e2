from gridmod.cli import main

main()
