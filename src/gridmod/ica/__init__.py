"""Integration Capacity Analysis (ICA) filings: profile ica-biannual.

ICA results are the largest tables the utilities file (PG&E alone publishes about 1.29 million line
sections, each with 576-hour profiles), so this package checks them in one streaming pass per table
(`stream`), measures data quality from the data itself (`metrics`), tracks remediation and workshops
(`tracker`, `workshops`), compares with the previous filing (`drift`), and renders the ICA report and
site pages (`report`, `gridmod.site.ica`). The rules themselves live in validation/ica-biannual/.
"""
