"""This package contains everything of Twilio's in one place: the SMS channel that sends
(`sms`), the inbound SMS webhook (`inbound`), the signature check (`signature`), the status
callback (`status`), and the one table of Twilio error codes they all read (`errors`)."""

from bot.channels.twilio.routes import twilio_routes
from bot.channels.twilio.sms import TwilioSms

__all__ = ["TwilioSms", "twilio_routes"]
