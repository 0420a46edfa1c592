"""Detection of personal data: normalisation, validators, recognizers, column classification, scan.

Heavy parts (Presidio, jieba) are imported only by the modules that need them.
"""
