"""Client of the sandbox's voiceprint admin endpoint (list and delete enrolled voiceprints).

Only the sandbox has it: the cloud voiceprint API offers no delete, so on a real-service profile
the caller deletes local records and records a deletion request instead (desktop.speakers).
The admin URL is the voiceprint URL's own, with ws -> http and wss -> https.
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import requests

from desktop import i18n
from desktop.config import VoiceprintSettings
from desktop.errors import AuthFailure, ConnectionFailure, ProtocolFailure

APPCODE_HEADER = "X-Apig-AppCode"
ADMIN_SUFFIX = "/_admin/speakers"

i18n.register(
    {
        "vpadmin.unreachable": {
            "en": "The voiceprint sandbox at {url} cannot be reached: {reason}",
            "zh": "无法连接声纹沙箱 {url}：{reason}",
        },
        "vpadmin.refused": {
            "en": "The voiceprint sandbox refused the AppCode (status {status})",
            "zh": "声纹沙箱拒绝了 AppCode（状态 {status}）",
        },
        "vpadmin.bad_answer": {
            "en": "The voiceprint sandbox answered status {status} with something unexpected: {body}",
            "zh": "声纹沙箱返回状态 {status}，内容无法识别：{body}",
        },
    }
)


def admin_url(voiceprint_url: str) -> str:
    """``ws://h:p/voiceprint`` -> ``http://h:p/voiceprint/_admin/speakers`` (wss -> https)."""
    parts = urlsplit(voiceprint_url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + ADMIN_SUFFIX, "", ""))


class VoiceprintAdmin:
    def __init__(self, settings: VoiceprintSettings, timeout_s: float = 10.0) -> None:
        self.settings = settings
        self.base = admin_url(settings.url)
        self.timeout_s = timeout_s

    def _request(self, method: str, url: str) -> requests.Response:
        verify: Any = self.settings.ca_bundle or True
        try:
            resp = requests.request(
                method, url, headers={APPCODE_HEADER: self.settings.appcode}, timeout=self.timeout_s, verify=verify
            )
        except requests.exceptions.RequestException as exc:
            raise ConnectionFailure(i18n.tr("vpadmin.unreachable", url=self.base, reason=type(exc).__name__)) from None
        if resp.status_code in (401, 403):
            code = None
            with contextlib.suppress(ValueError, AttributeError):
                code = resp.json().get("error_code")
            raise AuthFailure(i18n.tr("vpadmin.refused", status=resp.status_code), code=code)
        return resp

    def _json(self, resp: requests.Response) -> dict[str, Any]:
        try:
            body = resp.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ProtocolFailure(i18n.tr("vpadmin.bad_answer", status=resp.status_code, body=resp.text[:200]))
        return body

    def speakers(self) -> dict[str, int | None]:
        """Every name the sandbox holds a voiceprint for, with its number of takes."""
        resp = self._request("GET", self.base)
        body = self._json(resp)
        found = body.get("speakers")
        if resp.status_code != 200 or not isinstance(found, list):
            raise ProtocolFailure(i18n.tr("vpadmin.bad_answer", status=resp.status_code, body=resp.text[:200]))
        return {str(s.get("name")): s.get("takes") for s in found if isinstance(s, dict)}

    def delete(self, name: str) -> int:
        """Delete ``name``'s voiceprint; returns the takes deleted, 0 when it was not enrolled."""
        resp = self._request("DELETE", self.base + "/" + quote(name, safe=""))
        body = self._json(resp)
        if resp.status_code == 404:
            return 0
        takes = body.get("takes")
        if resp.status_code != 200 or not isinstance(takes, int):
            raise ProtocolFailure(i18n.tr("vpadmin.bad_answer", status=resp.status_code, body=resp.text[:200]))
        return takes
