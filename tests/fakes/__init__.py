"""This module contains fake Twilio and Telegram servers on loopback for the real SDKs to call."""
