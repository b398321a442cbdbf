import Foundation

/// `matrix.html`: the matrix folder's page for reading many models at once. The heat map is drawn in the
/// browser from the mean cosines embedded in the page, in the tree's leaf order, at a zoom the reader
/// chooses (1–24 px a cell), with the row model, column model and value of the cell under the pointer, and
/// a search that scrolls to a model's row: at a few hundred models the static heatmap.svg is a picture,
/// this is a view one can work in. The page itself is fixed text (same bytes for the same matrix).
enum MatrixViewer {
    static let file = "matrix.html"

    static func page(labels: [String], order: [Int], meanCosine: [[Double]], resamples: Int) -> String {
        let names = order.map { labels[$0] }
        let values = order.map { i in order.map { j in meanCosine[i][j].isFinite ? String(format: "%.4f", meanCosine[i][j]) : "null" } }
        // Names as JSON strings, with "<" escaped so that no model name can close the script element.
        let namesJSON = (try? JSONOutput.string(names))?.replacingOccurrences(of: "<", with: "\\u003c") ?? "[]"
        let valuesJSON = "[" + values.map { "[" + $0.joined(separator: ",") + "]" }.joined(separator: ",\n") + "]"
        let start = names.count > 60 ? 4 : 14
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Lineage matrix: \(names.count) models</title>
            <style>
            body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 16px 24px; color: #222; }
            #controls { position: sticky; top: 0; background: #fff; padding: 6px 0; border-bottom: 1px solid #ddd; }
            #controls label { margin-right: 16px; }
            #readout { font-variant-numeric: tabular-nums; color: #333; }
            #frame { overflow: auto; max-height: 80vh; border: 1px solid #ddd; margin-top: 8px; }
            canvas { image-rendering: pixelated; display: block; }
            img { max-width: 100%; }
            </style></head><body>
            <h1>\(names.count) models: mean per-probe cosine</h1>
            <p>Rows and columns in the order of the lineage tree (related models sit together); darker is more similar.
            Point at a cell for its pair; zoom to read; search to find a model's row. The files behind this page:
            matrix.json, pairs.csv, heatmap.svg, tree.svg (\(resamples) bootstrap resamples).</p>
            <div id="controls">
            <label>zoom <input id="zoom" type="range" min="1" max="24" value="\(start)"> <span id="size"></span> px a cell</label>
            <label>find <input id="find" type="search" placeholder="model name" list="models"></label>
            <span id="readout">point at a cell</span>
            </div>
            <datalist id="models"></datalist>
            <div id="frame"><canvas id="map"></canvas></div>
            <h2>Lineage tree</h2>
            <p><img src="tree.svg" alt="lineage tree"></p>
            <script>
            const names = \(namesJSON);
            const values = \(valuesJSON);
            const canvas = document.getElementById("map"), context = canvas.getContext("2d");
            const zoom = document.getElementById("zoom"), readout = document.getElementById("readout");
            let low = Infinity, high = -Infinity;
            values.forEach((row, i) => row.forEach((v, j) => { if (i !== j && v !== null) { low = Math.min(low, v); high = Math.max(high, v); } }));
            function colour(v, diagonal) {
              if (diagonal) return "#f0f0f0";
              if (v === null) return "#dddddd";
              const t = high > low ? Math.min(1, Math.max(0, (v - low) / (high - low))) : 0.5;
              return "rgb(" + Math.round((1 - t) * 255 + t * 16) + "," + Math.round((1 - t) * 255 + t * 62) + "," + Math.round((1 - t) * 255 + t * 138) + ")";
            }
            function draw() {
              const cell = Number(zoom.value), n = names.length;
              document.getElementById("size").textContent = cell;
              canvas.width = canvas.height = n * cell;
              for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
                context.fillStyle = colour(values[i][j], i === j);
                context.fillRect(j * cell, i * cell, cell, cell);
              }
            }
            canvas.addEventListener("mousemove", event => {
              const cell = Number(zoom.value), rect = canvas.getBoundingClientRect();
              const i = Math.floor((event.clientY - rect.top) / cell), j = Math.floor((event.clientX - rect.left) / cell);
              if (i < 0 || j < 0 || i >= names.length || j >= names.length) return;
              const v = values[i][j];
              readout.textContent = names[i] + " (row) · " + names[j] + " (column): " + (v === null ? "no shared probe" : v.toFixed(4));
            });
            const list = document.getElementById("models");
            names.forEach(name => { const option = document.createElement("option"); option.value = name; list.appendChild(option); });
            document.getElementById("find").addEventListener("change", event => {
              const row = names.indexOf(event.target.value);
              if (row >= 0) document.getElementById("frame").scrollTop = row * Number(zoom.value);
            });
            zoom.addEventListener("input", draw);
            draw();
            </script>
            </body></html>

            """
    }
}
