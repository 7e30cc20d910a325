"""A stand-in OpenID Connect provider for tests: a small HTTP server on a free port of 127.0.0.1.

It does what a municipality's identity provider does in the authorisation-code flow, strictly enough that a
client mistake shows up as a refusal: /authorize hands out a one-time code bound to the client, redirect URI,
nonce and PKCE challenge; /token checks all of them and answers with an ID token signed with RS256 by a key
made for the test run (or HS256 with the client secret); /userinfo answers for the access token; /jwks
publishes the public key. Tests choose who logs in with `login_as` and can make it misbehave with
`sign_with_other_key`, `wrong_nonce`, `wrong_audience` and `expired`.
"""

import base64
import functools
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "tillit-test"
CLIENT_SECRET = "stand-in-provider-secret-that-is-long-enough"
KEY_ID = "stand-in-key"


@functools.cache
def _test_key(name: str) -> rsa.RSAPrivateKey:
    """A signing key made for this test run (one per name, since making RSA keys is slow)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    claims: dict[str, Any]


@dataclass
class StandInProvider:
    algorithm: str = "RS256"
    key: rsa.RSAPrivateKey = field(default_factory=lambda: _test_key("provider"))
    other_key: rsa.RSAPrivateKey = field(default_factory=lambda: _test_key("impostor"))
    claims: dict[str, Any] = field(default_factory=dict)
    sign_with_other_key: bool = False
    wrong_nonce: bool = False
    wrong_audience: bool = False
    expired: bool = False
    token_requests: list[dict[str, str]] = field(default_factory=list)
    _grants: dict[str, _Grant] = field(default_factory=dict)
    _access_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None

    # --- What a test uses ----------------------------------------------------------------------------

    def start(self) -> "StandInProvider":
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider._handle(self, "GET")

            def do_POST(self) -> None:
                provider._handle(self, "POST")

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self) -> dict[str, Any]:
        """The Tillit settings that point at this provider."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_RP_SIGN_ALGO": self.algorithm,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
        }

    def login_as(self, **claims: Any) -> None:
        """Who the next person to pass /authorize is, as the provider's claims."""
        self.claims = {"sub": secrets.token_hex(8), "email_verified": True, **claims}

    # --- The provider --------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        url = urlsplit(request.path)
        routes = {
            ("GET", "/authorize"): self._authorize,
            ("POST", "/token"): self._token,
            ("GET", "/userinfo"): self._userinfo,
            ("GET", "/jwks"): self._jwks,
        }
        handler = routes.get((method, url.path))
        if handler is None:
            self._answer(request, 404, {"error": "not_found"})
            return
        if method == "POST":
            length = int(request.headers.get("Content-Length", "0"))
            params = {k: v[0] for k, v in parse_qs(request.rfile.read(length).decode()).items()}
        else:
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
        handler(request, params)

    def _answer(
        self, request: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)

    def _authorize(self, request: BaseHTTPRequestHandler, params: dict[str, str]) -> None:
        if params.get("response_type") != "code" or "openid" not in params.get("scope", "").split():
            self._answer(request, 400, {"error": "invalid_request"})
            return
        if params.get("code_challenge") and params.get("code_challenge_method") != "S256":
            self._answer(request, 400, {"error": "invalid_request", "error_description": "S256 only"})
            return
        code = secrets.token_urlsafe(16)
        self._grants[code] = _Grant(
            client_id=params["client_id"],
            redirect_uri=params["redirect_uri"],
            nonce=params.get("nonce"),
            code_challenge=params.get("code_challenge"),
            claims=dict(self.claims),
        )
        back = params["redirect_uri"] + "?" + urlencode({"code": code, "state": params["state"]})
        request.send_response(302)
        request.send_header("Location", back)
        request.send_header("Content-Length", "0")
        request.end_headers()

    def _token(self, request: BaseHTTPRequestHandler, params: dict[str, str]) -> None:
        self.token_requests.append(params)
        grant = self._grants.pop(params.get("code", ""), None)  # a code works once
        if (
            grant is None
            or params.get("grant_type") != "authorization_code"
            or params.get("client_id") != grant.client_id
            or params.get("client_secret") != CLIENT_SECRET
            or params.get("redirect_uri") != grant.redirect_uri
        ):
            self._answer(request, 400, {"error": "invalid_grant"})
            return
        if grant.code_challenge is not None:
            verifier = params.get("code_verifier", "")
            digest = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            )
            if digest != grant.code_challenge:
                self._answer(request, 400, {"error": "invalid_grant", "error_description": "PKCE"})
                return
        now = int(time.time())
        id_claims = {
            "iss": self.url,
            "sub": grant.claims["sub"],
            "aud": "another-client" if self.wrong_audience else grant.client_id,
            "iat": now - 3600 if self.expired else now,
            "exp": now - 60 if self.expired else now + 300,
            "nonce": "not-the-nonce-that-was-sent" if self.wrong_nonce else grant.nonce,
            "email": grant.claims.get("email"),
        }
        access_token = secrets.token_urlsafe(16)
        self._access_tokens[access_token] = grant.claims
        body = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self._sign(id_claims),
        }
        self._answer(request, 200, body, {"Cache-Control": "no-store"})

    def _sign(self, claims: dict[str, Any]) -> str:
        if self.algorithm == "HS256":
            secret = "a-different-secret-entirely-and-long" if self.sign_with_other_key else CLIENT_SECRET
            return jwt.encode(claims, secret, algorithm="HS256")
        key = self.other_key if self.sign_with_other_key else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})

    def _userinfo(self, request: BaseHTTPRequestHandler, params: dict[str, str]) -> None:
        scheme, _, access_token = request.headers.get("Authorization", "").partition(" ")
        claims = self._access_tokens.get(access_token) if scheme == "Bearer" else None
        if claims is None:
            self._answer(request, 401, {"error": "invalid_token"})
            return
        self._answer(request, 200, claims)

    def _jwks(self, request: BaseHTTPRequestHandler, params: dict[str, str]) -> None:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update({"kid": KEY_ID, "alg": "RS256", "use": "sig"})
        self._answer(request, 200, {"keys": [jwk]})
