"""The directory servers of the sign-in tests, run on loopback by the tests themselves:
a real OpenLDAP server (Debian's slapd, its own slapd.conf and database in a temporary
folder, people and groups loaded with ldapadd) and a minimal OpenID Connect provider
(standard library HTTP server: discovery, authorize, token with an RS256 ID token,
userinfo, jwks). Nothing reaches outside the machine."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

SUFFIX = "dc=portal,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
SERVICE_DN = f"cn=portal,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "service-secret"
USER_PASSWORD = "directory-password-2026"
OFFICERS = f"cn=portal-officers,ou=groups,{SUFFIX}"
UNIT_STAFF = f"cn=portal-opfo,ou=groups,{SUFFIX}"
ALL_STAFF = f"cn=all-staff,ou=groups,{SUFFIX}"

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
# Passwords are only compared at bind; the service account reads the rest.
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="{service}" read by * none
database mdb
maxsize 16777216
suffix "{suffix}"
rootdn "{root}"
rootpw {root_password}
directory {folder}/data
"""


def person(uid: str, given: str, family: str) -> str:
    return (
        f"dn: uid={uid},ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: {uid}\n"
        f"cn: {given} {family}\ngivenName: {given}\nsn: {family}\n"
        f"mail: {uid}@portal.test\nuserPassword: {USER_PASSWORD}\n"
    )


def group(dn: str, *uids: str) -> str:
    cn = dn.split(",")[0].split("=")[1]
    members = "".join(f"member: uid={u},ou=people,{SUFFIX}\n" for u in uids)
    return f"dn: {dn}\nobjectClass: groupOfNames\ncn: {cn}\n{members}"


def directory_ldif() -> str:
    """ivanova is an authority's officer, petrov a unit's official, sidorov in no mapped
    group; cn=all-staff has everyone."""
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: portal\no: Тест\n",
        *(
            f"dn: ou={ou},{SUFFIX}\nobjectClass: organizationalUnit\nou: {ou}\n"
            for ou in ("people", "groups", "services")
        ),
        f"dn: {SERVICE_DN}\nobjectClass: person\ncn: portal\nsn: portal\n"
        f"userPassword: {SERVICE_PASSWORD}\n",
        person("ivanova", "Мария", "Иванова"),
        person("petrov", "Петр", "Петров"),
        person("sidorov", "Сидор", "Сидоров"),
        # The same name as a local account of the portal (tests.conftest's officer).
        person("officer", "Однофамилец", "Офицеров"),
        group(OFFICERS, "ivanova", "officer"),
        group(UNIT_STAFF, "petrov"),
        group(ALL_STAFF, "ivanova", "petrov", "sidorov"),
    ]
    return "\n".join(entries)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def needed(binary: str, package: str) -> str:
    found = shutil.which(binary) or shutil.which(binary, path="/usr/sbin:/usr/bin")
    if found is None:
        if os.environ.get("PORTAL_ALL_SERVICES"):
            pytest.fail(f"нужен пакет Debian {package} (tests/run_all.sh ставит его)")
        pytest.skip(f"{binary} не установлен")
    return found


def _ldapadd(uri: str, ldif: str) -> subprocess.CompletedProcess:
    command = [needed("ldapadd", "ldap-utils"), "-x", "-H", uri, "-D", ROOT_DN]
    return subprocess.run(
        [*command, "-w", ROOT_PASSWORD], input=ldif, capture_output=True, text=True
    )


def ldap_change(uri: str, ldif: str, tool: str = "ldapmodify") -> None:
    """A change to the running directory as its administrator would make it (ldapmodify,
    ldapadd, ldapdelete)."""
    command = [needed(tool, "ldap-utils"), "-x", "-H", uri, "-D", ROOT_DN, "-w", ROOT_PASSWORD]
    done = subprocess.run(command, input=ldif, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def membership(group_dn: str, uid: str, change: str) -> str:
    """The LDIF that adds or deletes (`change`) a member of a group."""
    member = f"uid={uid},ou=people,{SUFFIX}"
    return f"dn: {group_dn}\nchangetype: modify\n{change}: member\nmember: {member}\n"


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    """ldap://127.0.0.1:<port> of a running slapd with the people and groups above."""
    binary = needed("slapd", "slapd")
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "data").mkdir()
    conf = folder / "slapd.conf"
    conf.write_text(
        SLAPD_CONF.format(
            folder=folder,
            suffix=SUFFIX,
            root=ROOT_DN,
            root_password=ROOT_PASSWORD,
            service=SERVICE_DN,
        )
    )
    uri = f"ldap://127.0.0.1:{free_port()}"
    # -d 0: in the foreground (the test owns the process), no debug output.
    server = subprocess.Popen(
        [binary, "-f", str(conf), "-h", f"{uri}/", "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _load(server, uri, directory_ldif())
        yield uri
    finally:
        server.terminate()
        server.wait(timeout=10)


def _load(server, uri: str, ldif: str) -> None:
    for _ in range(100):
        if server.poll() is not None:
            pytest.fail(f"slapd не запустился: {server.stderr.read().decode()}")
        done = _ldapadd(uri, ldif)
        if done.returncode == 0:
            return
        if "Can't contact LDAP server" not in done.stderr:
            pytest.fail(f"ldapadd: {done.stderr}")
        time.sleep(0.05)
    pytest.fail("slapd не ответил")


def ldap_environment(uri: str) -> dict:
    """The environment docs/deployment.md asks for, pointed at the test server."""
    return {
        "LDAP_SERVER_URI": uri,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "LDAP_USER_BASE": f"ou=people,{SUFFIX}",
        "LDAP_GROUP_BASE": f"ou=groups,{SUFFIX}",
        "LDAP_TIMEOUT_SECONDS": "3",
    }


# --- a minimal OpenID Connect provider ----------------------------------------------------


@dataclass
class Provider:
    """The provider's state: whom its sign-in page signs in (its own session, so to speak),
    the codes and tokens it issued, the requests it answered."""

    issuer: str = ""
    client_id: str = "portal"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = "test-key-1"
    accounts: dict = field(default_factory=dict)
    signed_in: str = ""
    codes: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def subject(self, username: str) -> str:
        """The account's `sub`: its own if given (a name reassigned to another account)."""
        return self.accounts.get(username, {}).get("sub") or f"sub-{username}"

    def claims(self, username: str) -> dict:
        return {
            "preferred_username": username,
            **self.accounts[username],
            "sub": self.subject(username),
        }

    def id_token(self, username: str, nonce: str) -> str:
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "sub": self.subject(username),
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})

    def environment(self) -> dict:
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_BUTTON_TEXT": "Keycloak области",
        }


class ProviderHandler(BaseHTTPRequestHandler):
    provider: Provider

    def log_message(self, *args):  # quiet
        pass

    def answer(self, status: int, body: dict | None = None, location: str = ""):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        data = json.dumps(body or {}).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 (http.server's name)
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        p = self.provider
        p.requests.append(url.path)
        if url.path == "/.well-known/openid-configuration":
            return self.answer(200, p.discovery())
        if url.path == "/jwks":
            return self.answer(200, p.jwks())
        if url.path == "/authorize":
            return self.authorize(query)
        if url.path == "/userinfo":
            auth = self.headers.get("Authorization", "")
            username = p.tokens.get(auth.removeprefix("Bearer "))
            if username is None:
                return self.answer(401, {"error": "invalid_token"})
            return self.answer(200, p.claims(username))
        return self.answer(404, {"error": "not_found"})

    def authorize(self, query):
        p = self.provider
        if query.get("client_id") != p.client_id or query.get("response_type") != "code":
            return self.answer(400, {"error": "invalid_request"})
        if query.get("prompt") == "none" and not p.signed_in:
            # A silent sign-in (a session refresh) of nobody signed in here (Core 3.1.2.6).
            back = {"error": "login_required", "state": query["state"]}
            return self.answer(302, location=f"{query['redirect_uri']}?{urlencode(back)}")
        code = secrets.token_urlsafe(16)
        p.codes[code] = {**query, "username": p.signed_in}
        back = {"code": code, "state": query["state"]}
        return self.answer(302, location=f"{query['redirect_uri']}?{urlencode(back)}")

    def do_POST(self):  # noqa: N802
        p = self.provider
        p.requests.append(urlsplit(self.path).path)
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if self.path != "/token":
            return self.answer(404, {"error": "not_found"})
        if (form.get("client_id"), form.get("client_secret")) != (p.client_id, p.client_secret):
            return self.answer(401, {"error": "invalid_client"})
        issued = p.codes.pop(form.get("code", ""), None)
        if issued is None or issued["redirect_uri"] != form.get("redirect_uri"):
            return self.answer(400, {"error": "invalid_grant"})
        if not pkce_matches(issued, form.get("code_verifier", "")):
            return self.answer(400, {"error": "invalid_grant"})
        access = secrets.token_urlsafe(16)
        p.tokens[access] = issued["username"]
        token = p.id_token(issued["username"], issued.get("nonce", ""))
        return self.answer(200, {"access_token": access, "token_type": "Bearer", "id_token": token})


def pkce_matches(issued: dict, verifier: str) -> bool:
    if "code_challenge" not in issued:
        return True
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == issued["code_challenge"]


@pytest.fixture(scope="session")
def oidc_provider():
    provider = Provider()
    handler = type("Handler", (ProviderHandler,), {"provider": provider})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield provider
    server.shutdown()
    server.server_close()


def settings_of(environment: dict) -> dict:
    """The settings config/directory.py makes of an environment (as a web worker would)."""
    from config.directory import backends, ldap_settings, oidc_settings

    ldap, oidc = ldap_settings(environment), oidc_settings(environment)
    return {**ldap, **oidc, "directory_backends": backends(ldap, oidc)}


def relative(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
