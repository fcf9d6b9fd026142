"""python -m dashboard <command>: the command line is dashboard.pipeline.cli."""

from dashboard.pipeline.cli import main

raise SystemExit(main())
