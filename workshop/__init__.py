"""Domain logic and storage for the IPNB live workshop dashboard.

Nothing in this package imports Streamlit: pages and the phone routes call
into it, so every rule here can be tested as plain Python.
"""
