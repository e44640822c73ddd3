"""The data contract: the files, the Dataset, its checks, names and figures."""
