"""Clients of the contract in other languages and from other generators; a package so that tests import its scripts."""
