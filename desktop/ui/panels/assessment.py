"""The Assessment panel (SingSound): get a warrant for a user, and run the merchant warrant
service that assessment devices ask.

"Get warrant" signs the request here with the profile's app secret and asks the gateways in
order (``WarrantClient``: fail-over, cache, single-flight); the answer shows the warrant, which
gateway gave it, whether it came from the cache, and a countdown to its expiry. The merchant
service (``WarrantServerThread``) listens on the profile's ``singsound`` host and port for
devices presenting a configured device token. All of it runs on pool threads (see
``assessment_tasks``); this module only touches widgets, on the GUI thread.
"""

from __future__ import annotations

import itertools
import logging

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ConfigError, InputError, VpwError
from desktop.services.singsound import WarrantClient, check_client_ip, check_user_id
from desktop.services.singsound_wire import MAX_LIFETIME_S
from desktop.ui.assessment_tasks import ServiceControl, TaskResult, WarrantRequest, fetch_warrant, outward_ip, run_task
from desktop.ui.assessment_view import WarrantView
from desktop.ui.context import UiContext
from desktop.ui.qtext import arg
from desktop.ui.widgets.notes import Note

log = logging.getLogger(__name__)


def _stacked(field: QWidget | QHBoxLayout, *notes: QLabel) -> QVBoxLayout:
    column = QVBoxLayout()
    column.setSpacing(2)
    if isinstance(field, QWidget):
        column.addWidget(field)
    else:
        column.addLayout(field)
    for note in notes:
        column.addWidget(note)
    return column


class AssessmentPanel(QWidget):
    icon_name = "assessment"

    def title(self) -> str:
        return self.tr("Assessment")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.busy = False
        self._client: WarrantClient | None = None
        self._client_key: tuple[object, ...] = ()
        self.service = ServiceControl(self)
        self.service.state_changed.connect(self._on_service_state)
        self.service.counts_changed.connect(self._on_counts)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        columns = QHBoxLayout(body)
        columns.setContentsMargins(18, 14, 18, 14)
        columns.setSpacing(18)
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        self._build_request(body, left)
        self._build_service(body, right)

        self._set_tab_order()
        self.on_profile_changed()
        self.detect_ip()

    # -- building ----------------------------------------------------------------------------

    def _build_request(self, body: QWidget, left: QVBoxLayout) -> None:
        heading = QLabel(self.tr("Assessment warrant"), body)
        heading.setObjectName("panelTitle")
        left.addWidget(heading)
        intro = QLabel(self.tr("An assessment device needs a warrant from SingSound for each user. It is "
                               "signed here with this profile's app secret, which never leaves this computer."),
                       body)  # fmt: skip
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        left.addWidget(intro)

        form = QFormLayout()
        # Line edits grow; the lifetime box keeps its natural width.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.user_error = Note(body)
        self.ip_error = Note(body)
        self.ip_hint = Note(body, error=False)
        self.user = QLineEdit(body)
        self.user.setPlaceholderText(self.tr("The merchant's id of the person assessed"))
        self.user.setAccessibleName(self.tr("User ID"))
        self.user.setMaxLength(128)
        self.user.textChanged.connect(lambda _t: self.user_error.setText(""))
        self.user.returnPressed.connect(self.get_warrant)
        form.addRow(self.tr("User ID:"), _stacked(self.user, self.user_error))

        ip_row = QHBoxLayout()
        self.client_ip = QLineEdit(body)
        self.client_ip.setPlaceholderText(self.tr("Public IP address of the assessment device"))
        self.client_ip.setAccessibleName(self.tr("Client IP address"))
        self.client_ip.setMaxLength(64)
        self.client_ip.textEdited.connect(lambda _t: self.ip_error.setText(""))
        self.client_ip.editingFinished.connect(self.check_ip)
        self.client_ip.returnPressed.connect(self.get_warrant)
        self.detect_button = QPushButton(self.tr("Detect"), body)
        self.detect_button.setAccessibleName(self.tr("Fill in this computer's address"))
        self.detect_button.setToolTip(self.tr("Fill in the address this computer uses towards the internet"))
        self.detect_button.clicked.connect(self.detect_ip)
        ip_row.addWidget(self.client_ip, 1)
        ip_row.addWidget(self.detect_button)
        form.addRow(self.tr("Client IP:"), _stacked(ip_row, self.ip_error, self.ip_hint))

        self.lifetime = QSpinBox(body)
        self.lifetime.setRange(1, MAX_LIFETIME_S)
        self.lifetime.setSingleStep(60)
        self.lifetime.setSuffix(self.tr(" s"))
        self.lifetime.setAccessibleName(self.tr("Warrant lifetime in seconds"))
        form.addRow(self.tr("Lifetime:"), self.lifetime)
        self.use_cache = QCheckBox(self.tr("Reuse a cached warrant while it is still valid"), body)
        self.use_cache.setChecked(True)
        self.use_cache.setAccessibleName(self.tr("Reuse a cached warrant"))
        form.addRow("", self.use_cache)
        left.addLayout(form)

        buttons = QHBoxLayout()
        self.get_button = QPushButton(self.tr("Get warrant"), body)
        self.get_button.setObjectName("recordButton")
        self.get_button.setAccessibleName(self.tr("Get a warrant for this user"))
        self.get_button.clicked.connect(self.get_warrant)
        buttons.addWidget(self.get_button)
        buttons.addStretch(1)
        left.addLayout(buttons)
        self.view = WarrantView(body)
        left.addWidget(self.view)
        left.addStretch(1)

    def _build_service(self, body: QWidget, right: QVBoxLayout) -> None:
        box = QGroupBox(self.tr("Merchant warrant service"), body)
        layout = QVBoxLayout(box)
        about = QLabel(self.tr("Assessment devices ask this service for warrants (POST /warrant with their "
                               "device token); it answers only the warrant, never the secret."), box)  # fmt: skip
        about.setObjectName("hint")
        about.setWordWrap(True)
        layout.addWidget(about)
        form = QFormLayout()
        self.service_address = QLabel(box)
        self.service_address.setAccessibleName(self.tr("Service address"))
        self.service_address.setWordWrap(True)
        self.service_address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Address:"), self.service_address)
        self.service_state = QLabel(box)
        self.service_state.setObjectName("answer")
        self.service_state.setAccessibleName(self.tr("Service state"))
        self.service_state.setWordWrap(True)
        form.addRow(self.tr("State:"), self.service_state)
        self.service_counts = QLabel(box)
        self.service_counts.setAccessibleName(self.tr("Warrants issued by the service"))
        self.service_counts.setWordWrap(True)
        form.addRow(self.tr("Devices served:"), self.service_counts)
        self.tokens_label = QLabel(box)
        self.tokens_label.setAccessibleName(self.tr("Device tokens"))
        self.tokens_label.setWordWrap(True)
        form.addRow(self.tr("Devices:"), self.tokens_label)
        layout.addLayout(form)
        self.service_button = QPushButton(box)
        self.service_button.clicked.connect(self.toggle_service)
        layout.addWidget(self.service_button)
        right.addWidget(box)
        right.addStretch(1)
        self._on_counts(0, 0, "")

    def _set_tab_order(self) -> None:
        order = [
            self.user, self.client_ip, self.detect_button, self.lifetime, self.use_cache, self.get_button,
            self.view.warrant_id, self.view.copy_button, self.view.details_button, self.service_button,
        ]  # fmt: skip
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

    # -- window hooks ------------------------------------------------------------------------

    def on_profile_changed(self) -> None:
        s = self.ui.profile.singsound
        self.lifetime.setValue(max(1, min(MAX_LIFETIME_S, int(s.warrant_lifetime_s))))
        self._drop_client()
        self.tokens_ok, tokens_text = self.describe_tokens(s.device_tokens)
        self.tokens_label.setText(tokens_text)
        self.tokens_label.setObjectName("" if self.tokens_ok else "answer")
        self.tokens_label.setProperty("ok", self.tokens_ok)
        self.tokens_label.style().unpolish(self.tokens_label)
        self.tokens_label.style().polish(self.tokens_label)
        self._on_service_state(self.service.state, self.service.error)

    def shutdown(self) -> None:
        # The window is closing (or rebuilding its panels): nothing may keep the port.
        self.service.stop_now()
        self._drop_client()

    # -- the client IP -----------------------------------------------------------------------

    @Slot()
    def detect_ip(self) -> None:
        self.detect_button.setEnabled(False)
        self.client_ip.setModified(False)  # typing from now on marks the field as the operator's
        run_task(outward_ip, self._on_ip)

    @Slot(object)
    def _on_ip(self, result: TaskResult) -> None:
        self.detect_button.setEnabled(True)
        if result.error is not None or not result.value:
            return
        if self.client_ip.isModified():
            return  # typed while the answer was on its way (a busy pool can be slow): theirs wins
        self.client_ip.setText(str(result.value))
        self.ip_error.setText("")
        self.ip_hint.setText(self.tr("Filled in with this computer's address. Behind a router (NAT), SingSound "
                                     "sees the router's public address: type that instead."))  # fmt: skip

    @Slot()
    def check_ip(self) -> str | None:
        try:
            ip = check_client_ip(self.client_ip.text())
        except InputError as exc:
            self.ip_error.setText(exc.message)
            return None
        self.ip_error.setText("")
        return ip

    # -- getting a warrant -------------------------------------------------------------------

    def client(self) -> WarrantClient:
        """The profile's client, kept while the settings stay the same (its cache lives in it)."""
        s = self.ui.profile.singsound
        key = (tuple(s.urls), s.appid, s.app_secret, s.timeout_s, s.ca_bundle)
        if self._client is None or key != self._client_key:
            self._drop_client()
            self._client = WarrantClient.from_settings(s)
            self._client_key = key
        return self._client

    def _drop_client(self) -> None:
        client, self._client, self._client_key = self._client, None, ()
        if client is not None and not self.busy:
            client.close()  # a client in use closes when its request ends and it is collected

    @Slot()
    def get_warrant(self) -> None:
        if self.busy:
            return
        try:
            user_id = check_user_id(self.user.text().strip())
        except InputError as exc:
            self.user_error.setText(exc.message)
            self.user.setFocus()
            return
        ip = self.check_ip()
        if ip is None:
            self.client_ip.setFocus()
            return
        try:
            client = self.client()
        except ConfigError as exc:
            self.view.show_error(exc, str(exc))
            return
        request = WarrantRequest(user_id, ip, self.lifetime.value(), self.use_cache.isChecked())
        self.busy = True
        self.get_button.setEnabled(False)
        self.view.show_working(self.tr("Asking SingSound…"))
        run_task(lambda: fetch_warrant(client, request), self._on_warrant)

    @Slot(object)
    def _on_warrant(self, result: TaskResult) -> None:
        self.busy = False
        self.get_button.setEnabled(True)
        request: WarrantRequest | None = result.value
        if result.error is not None or request is None:  # a bug in the task: still no traceback shown
            exc = result.error or RuntimeError("no result")
            self.view.show_error(exc, str(exc) or type(exc).__name__)
            return
        if request.warrant is not None:
            self.view.show_warrant(request.warrant, list(self.ui.profile.singsound.urls))
        elif request.error is not None:
            self.view.show_error(request.error, request.message)

    # -- the merchant service ----------------------------------------------------------------

    def describe_tokens(self, spec: str) -> tuple[bool, str]:
        """Whether the configured device tokens can start the service, and a sentence saying so."""
        from desktop.services.warrant_server import DeviceTokens

        if not spec.strip() and self.ui.profile.is_sandbox:
            # The sandbox profile's SingSound settings are fixed in Settings: only the variable works.
            return False, self.tr("No device tokens are configured, so no device could get a warrant and the "
                                  "service cannot start. Switch to your own profile and set them in Settings "
                                  "(SingSound, Device tokens); Settings → Help explains the other way.")  # fmt: skip
        if not spec.strip():
            return False, self.tr("No device tokens are configured, so no device could get a warrant and the "
                                  "service cannot start. Set them in Settings (SingSound, Device tokens).")  # fmt: skip
        try:
            count = len(DeviceTokens(spec))
        except VpwError as exc:
            return False, exc.message
        return True, arg(self.tr("%1 device token(s) configured"), count)

    @Slot()
    def toggle_service(self) -> None:
        if self.service.state == "running":
            self.service.stop()
        elif self.service.state in ("stopped", "failed") and self.tokens_ok:
            self.service.start(self.ui.profile.singsound)

    @Slot(str, object)
    def _on_service_state(self, state: str, error: BaseException | None) -> None:
        s = self.ui.profile.singsound
        running = state == "running"
        if running or state == "stopping":
            self.service_address.setText(self.service.url)
        else:
            self.service_address.setText(arg(self.tr("%1 (when started)"), _url(s.warrant_server_host,
                                                                                 s.warrant_server_port)))  # fmt: skip
        texts = {
            "stopped": self.tr("Stopped"),
            "starting": self.tr("Starting…"),
            "running": self.tr("Running: devices can ask for warrants"),
            "stopping": self.tr("Stopping…"),
        }
        if state == "failed":
            text = arg(self.tr("Could not start: %1"), self.start_error(error))
        else:
            text = texts.get(state, state)
        self.service_state.setText(text)
        self.service_state.setProperty("ok", running if state in ("running", "failed") else None)
        self.service_state.style().unpolish(self.service_state)
        self.service_state.style().polish(self.service_state)
        self.service_button.setText(self.tr("Stop the service") if running else self.tr("Start the service"))
        self.service_button.setAccessibleName(
            self.tr("Stop the merchant warrant service") if running else self.tr("Start the merchant warrant service")
        )
        self.service_button.setEnabled(running or (state in ("stopped", "failed") and self.tokens_ok))

    def start_error(self, error: BaseException | None) -> str:
        import errno

        if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
            return self.tr("the port is already in use; choose another in Settings (SingSound, Warrant server port).")
        if isinstance(error, OSError) and error.errno == errno.EADDRNOTAVAIL:
            return self.tr("this computer has no such address; check Settings (SingSound, Warrant server host).")
        if isinstance(error, VpwError):
            return error.message
        return (str(error) if error is not None else "") or type(error).__name__

    @Slot(int, int, str)
    def _on_counts(self, issued: int, refused: int, last_user: str) -> None:
        # Counts of the merchant service (devices), not of the warrant shown on the left.
        if issued == 0 and refused == 0:
            text = self.tr("No device has asked for a warrant yet.")
        else:
            text = arg(self.tr("%1 issued, %2 refused by SingSound to devices"), issued, refused)
        if last_user:
            text += "\n" + arg(self.tr("Last request: user %1"), last_user)
        self.service_counts.setText(text)


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/warrant"
