"""Reading ehsim's HDF5 results in Python, and the board report.

    from analysis import load
    stocks = load.monthly("out/results.h5", "stock_families")
    table = load.comparisons("out/results.h5")

`python3 -m analysis.tables RESULTS.h5` prints the comparison of options;
`python3 -m analysis.report RESULTS.h5 -o report.html` writes the board report.
"""
