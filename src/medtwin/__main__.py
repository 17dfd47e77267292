"""``python -m medtwin`` runs the CLI."""

from medtwin.cli import main

if __name__ == "__main__":
    main()
