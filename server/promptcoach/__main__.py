from promptcoach.cli import main

raise SystemExit(main())
