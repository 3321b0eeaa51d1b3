"""Mail through a real SMTP server (aiosmtpd on 127.0.0.1), the folder adapter, and mail as a job."""

import email
import email.policy
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from jinja2 import FileSystemLoader

from kernel.infrastructure.db import SqlAlchemyUnitOfWork
from kernel.site import SiteError
from tests.jobs.jobs_helpers import enqueue_and_commit

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # a test server

TEMPLATES = Path(__file__).resolve().parent / "templates"
CONTEXT = {"name": "Ada <Lovelace>", "number": "A-1001", "total": "42.50 USD"}


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=(auth_data.login, auth_data.password) == (b"shop", b"s3cret pass"), handled=False)


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticate,
                            auth_required=True, auth_require_tls=False)
    controller.start()
    yield inbox, port
    controller.stop()


def site_with_mail(make_app, port, password="s3cret%20pass"):
    app = make_app(mail={"url": f"smtp://shop:{password}@127.0.0.1:{port}?tls=none", "sender": "shop@example.org"})
    app.extensions["commerce"].mailer.environment.loader = FileSystemLoader(TEMPLATES)
    return app


def test_a_templated_message_arrives_with_text_and_html(make_app, smtp_server):
    inbox, port = smtp_server
    app = site_with_mail(make_app, port)
    app.extensions["commerce"].mailer.send_template("order_confirmation", to=["ada@example.com"],
                                                    subject="Order {{ number }} received", context=CONTEXT)
    [(recipients, message)] = inbox.messages
    assert recipients == ["ada@example.com"]
    assert (message["From"], message["To"], message["Subject"]) == ("shop@example.org", "ada@example.com",
                                                                    "Order A-1001 received")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hello Ada <Lovelace>," in text and "A-1001: 42.50 USD" in text
    assert "Hello Ada &lt;Lovelace&gt;," in html and "<b>A-1001</b>" in html


def test_a_refused_login_raises_so_that_the_job_is_retried(make_app, smtp_server):
    import smtplib

    inbox, port = smtp_server
    app = site_with_mail(make_app, port, password="wrong")
    with pytest.raises(smtplib.SMTPAuthenticationError):
        app.extensions["commerce"].mailer.send_template("order_confirmation", to=["a@example.com"], subject="x",
                                                        context=CONTEXT)
    assert inbox.messages == []


def test_mail_asked_for_in_a_committed_transaction_is_sent_once_and_a_rolled_back_one_never(make_app, smtp_server):
    inbox, port = smtp_server
    app = site_with_mail(make_app, port)
    with app.test_request_context():
        with SqlAlchemyUnitOfWork():
            app.extensions["commerce"].jobs.enqueue("mail.send", ["lost@example.com"], "order_confirmation",
                                                    "Order {{ number }}", CONTEXT)
    assert inbox.messages == []
    enqueue_and_commit(app, "mail.send", ["ada@example.com"], "order_confirmation", "Order {{ number }}", CONTEXT)
    assert [(rcpt, message["Subject"]) for rcpt, message in inbox.messages] == [(["ada@example.com"], "Order A-1001")]


def test_the_development_adapter_writes_messages_to_a_folder(make_app, tmp_path):
    app = make_app(mail={"url": f"file://{tmp_path / 'outbox'}"})
    app.extensions["commerce"].mailer.environment.loader = FileSystemLoader(TEMPLATES)
    app.extensions["commerce"].mailer.send_template("order_confirmation", to=["ada@example.com"], subject="Hi",
                                                    context=CONTEXT)
    [path] = (tmp_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "ada@example.com" and message["From"] == "shop@example.com"
    assert "A-1001" in message.get_body(("plain",)).get_content()


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://mail.example.com", "unsupported scheme 'ftp'"),
    ("smtp://mail.example.com?tls=maybe", "tls='maybe' is not one of"),
    ("smtp://user:pw@:25", "needs a host"),
])
def test_a_bad_mail_url_stops_start_up_with_one_line(make_app, url, message):
    with pytest.raises(SiteError, match=message) as error:
        make_app(mail={"url": url})
    assert "pw" not in str(error.value)
