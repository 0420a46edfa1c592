"""The stylesheet of govkit's self-contained HTML pages (run report, audit period report).

A leaf module: the audit package renders its page without importing the report package.
"""

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:0;
background:#f5f6f8;color:#1f2d3d}
header{background:#1f2d3d;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c8d1dc;font-size:13px}
main{padding:20px 28px;max-width:1100px}
section{background:#fff;border-radius:6px;padding:14px 18px;margin:0 0 18px;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:18px;margin:0 0 10px}h3{font-size:15px;margin:14px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:18px}
.card{background:#fff;border-radius:6px;padding:10px 16px;min-width:120px;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card b{display:block;font-size:24px}.card span{font-size:12px;color:#5a6b7d}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e3e7ec}
th{background:#f0f2f5}
.tier-high{color:#c0392b;font-weight:600}.tier-medium{color:#b9650f}.tier-low{color:#5a6b7d}
.ok{color:#1e8449;font-weight:600}.bad{color:#c0392b;font-weight:600}
.warn{color:#b9650f;font-weight:600}
.status{display:inline-block;padding:2px 10px;border-radius:10px;font-weight:600}
.status-published{background:#d5f5e3;color:#1e8449}.status-failed{background:#fadbd8;color:#922b21}
.status-dry_run{background:#fdebd0;color:#9c640c}
code{font-size:12px;word-break:break-all}
"""
