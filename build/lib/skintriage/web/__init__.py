"""Turning case data into web pages: Markdown and escaping, links into the book, and case page views."""
