"""The EU VAT engine: rates with history, VAT numbers, territories and the decision table.

`invoicer.domain.vat.engine.quote` is the entry point; `model` holds its vocabulary.
"""
