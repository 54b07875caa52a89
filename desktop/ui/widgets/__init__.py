"""Reusable widgets. They only draw what they are given; no service or audio calls here."""
