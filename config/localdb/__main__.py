"""`python -m config.localdb start [--port N] | stop | url`: the embedded PostgreSQL by hand."""

import argparse
import sys

from . import LocalDatabaseError, ensure_running, running, stop


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.localdb", description=__doc__)
    parser.add_argument("action", choices=["start", "stop", "url"])
    parser.add_argument(
        "--port", type=int, help="start: also listen on 127.0.0.1 at this port (TCP)"
    )
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            print(ensure_running(port=args.port).url())
        elif args.action == "stop":
            if not stop():
                print("the embedded PostgreSQL was not running", file=sys.stderr)
        else:
            server = running()
            if server is None:
                print("the embedded PostgreSQL is not running", file=sys.stderr)
                return 1
            print(server.url())
    except LocalDatabaseError as error:
        print(f"embedded PostgreSQL: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
