#!/usr/bin/python3
"""A local SMTP sink for the reminder tests (Debian's python3-aiosmtpd; no network beyond
loopback). Listens on 127.0.0.1 at a free port, writes the port to --port-file once listening,
and appends every message it accepts to --out as one JSON line: mail_from, rcpt_tos, data (the
message as received), tls (whether STARTTLS was done), auth (the user name that authenticated).

  smtp_sink.py --port-file F --out F [--tls-cert C --tls-key K] [--auth USER:PASSWORD]

With --tls-cert the server offers STARTTLS and refuses mail before it; with --auth it requires
authentication (after STARTTLS). Stops on SIGTERM.
"""
import argparse
import asyncio
import json
import signal
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--auth")
    a = p.parse_args()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            auth = None
            if session.auth_data is not None and isinstance(session.auth_data, LoginPassword):
                auth = session.auth_data.login.decode()
            record = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "data": envelope.original_content.decode("utf-8", "replace"),
                "tls": session.ssl is not None,
                "auth": auth,
            }
            with open(a.out, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
            return "250 OK"

    kwargs = {}
    if a.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        kwargs.update(tls_context=ctx, require_starttls=True)
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
                  and auth_data.password == password.encode())
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=bool(a.tls_cert))
    else:
        kwargs.update(auth_require_tls=False)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Handler()
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, hostname="localhost", **kwargs), "127.0.0.1", 0))
    port = server.sockets[0].getsockname()[1]
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(port))
    import os
    os.rename(a.port_file + ".tmp", a.port_file)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
