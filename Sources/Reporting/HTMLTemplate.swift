/// The page every HTML report is poured into: its style and its one script, inline, so that
/// the file opens anywhere and fetches nothing.
enum HTMLTemplate {
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title.markupEscaped)</title>
        <style>\(style)</style>
        <script>\(script)</script>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static let style = """
        :root{--pass:#15803d;--fail:#b91c1c;--warn:#b45309;--ink:#111827;--muted:#6b7280;--line:#e5e7eb}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f9fafb}
        header{padding:20px 32px;background:#fff;border-top:6px solid var(--muted);border-bottom:1px solid var(--line)}
        header.pass{border-top-color:var(--pass)}header.fail{border-top-color:var(--fail)}header.warn{border-top-color:#f59e0b}
        h1{margin:0 0 2px;font-size:22px}.facts{margin:0;color:var(--muted)}.headline{margin:8px 0 0;font-size:17px;font-weight:600}
        main{padding:0 32px 32px;max-width:1500px}
        h2{margin:28px 0 10px;font-size:17px;border-bottom:1px solid var(--line);padding-bottom:4px}
        .table{overflow-x:auto}
        table{border-collapse:collapse;background:#fff;font-variant-numeric:tabular-nums;margin:8px 0}
        th,td{padding:4px 12px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        th{background:#f3f4f6;font-weight:600;color:#374151;white-space:nowrap}
        .num{text-align:right;white-space:nowrap}
        td.pass{color:var(--pass);font-weight:600}td.fail{color:var(--fail);font-weight:600}td.warn{color:var(--warn);font-weight:600}
        .alert{margin:16px 0;padding:10px 16px;border-left:6px solid;border-radius:4px}
        .alert.fail{background:#fef2f2;border-color:var(--fail)}.alert.warn{background:#fffbeb;border-color:#f59e0b}
        .alert.pass,.alert.neutral{background:#f0fdf4;border-color:var(--pass)}
        .alert ul{margin:4px 0 0;padding-left:20px}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:16px}
        figure{margin:0;padding:8px;background:#fff;border:1px solid var(--line);border-radius:6px}
        svg.chart{display:block;width:100%;height:auto}
        code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f3f4f6;padding:1px 4px;border-radius:3px}
        """

    /// Marks the body when the page rendered: `data-rendered="ok"` once every chart has a
    /// size, `data-script-error` on any script error. Headless checks read these marks.
    static let script = """
        window.onerror=function(){(document.body||document.documentElement).setAttribute("data-script-error","1")};
        addEventListener("load",function(){var c=document.querySelectorAll("svg.chart"),ok=c.length>0;\
        for(var i=0;i<c.length;i++){var r=c[i].getBoundingClientRect();if(!(r.width>0&&r.height>0))ok=false}\
        document.body.setAttribute("data-rendered",ok?"ok":"failed")});
        """
}
