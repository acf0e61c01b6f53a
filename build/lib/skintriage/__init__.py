"""skintriage: the course's case bank, quiz renderers, triage rules and figures."""

from skintriage.bank.loader import Bank, BankError, load_bank
from skintriage.bank.schema import Case, Findings, Question

__all__ = ["Bank", "BankError", "Case", "Findings", "Question", "load_bank"]
