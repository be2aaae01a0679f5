"""scripts/with-keyring: the tests' Secret Service stays usable when its daemon goes away mid-run.

A CI run lost its keychain half-way: every later keyring call on one worker failed with
"Object does not exist at path /org/freedesktop/secrets/collection/login" and then "Prompt
dismissed" — the daemon answering had no login keyring, and with no prompter none could be made.
Each run here gets its own private D-Bus session (not the one this test session runs in, so no
other test's keychain call is disturbed), kills the daemon serving it, and uses the keychain again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = textwrap.dedent(
    """
    import os, signal, time
    import keyring
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    keyring.set_password("waypoint-harness", "before", "kept")

    bus = open_dbus_connection(bus="SESSION")
    dbus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                       interface="org.freedesktop.DBus")
    owner = bus.send_and_get_reply(
        new_method_call(dbus, "GetConnectionUnixProcessID", "s", ("org.freedesktop.secrets",))
    ).body[0]
    os.kill(owner, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while True:  # until the bus has noticed: the next call must not reach the dead daemon
        has = bus.send_and_get_reply(
            new_method_call(dbus, "NameHasOwner", "s", ("org.freedesktop.secrets",))
        ).body[0]
        if not has or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    bus.close()

    assert keyring.get_password("waypoint-harness", "before") == "kept"
    keyring.set_password("waypoint-harness", "after", "stored")
    assert keyring.get_password("waypoint-harness", "after") == "stored"
    print("keychain survived")
    """
)


def test_the_keychain_survives_its_daemon_dying_mid_run() -> None:
    env = {k: v for k, v in os.environ.items() if k != "WAYPOINT_KEYRING_SESSION"}
    done = subprocess.run(
        [str(ROOT / "scripts" / "with-keyring"), sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "keychain survived" in done.stdout
