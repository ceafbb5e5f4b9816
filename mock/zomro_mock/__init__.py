"""The mock backend: Prism serving openapi.yaml, behind a router that does what Prism cannot."""
