"""What the tests, the contract tests, the bench and the other-language checks share.

The article's facts (`article`), the contract's look-ups (`contract`), a mock
started as users start it (`mock_process`), and a BILLmanager with quirks
(`quirky_server`). Only a checkout of this project has it: it reads the
article and the contract from the checkout.
"""
