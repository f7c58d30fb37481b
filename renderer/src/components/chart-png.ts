/**
 * The charts on screen as one PNG, for a decision record: each chart's SVG drawn onto a canvas, stacked under a
 * header of text lines (the flag, the decision, the windows). The SVGs are self-contained (inline attributes), so
 * serializing them is enough — except the line layer, whose canvases (charts/PlotCanvas.tsx) become <image>s of
 * their pixels in the copy, in the same place of the drawing order; the canvas gets the page's dark background so
 * the PNG reads like the screen.
 */
const BG = '#171a20';
const HEADER_LINE = 18;

async function svgImage(svg: SVGSVGElement): Promise<HTMLImageElement> {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const live = [...svg.querySelectorAll('foreignObject.plot-layer')];
  [...clone.querySelectorAll('foreignObject.plot-layer')].forEach((fo, i) => {
    const g = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    for (const canvas of live[i]?.querySelectorAll('canvas') ?? []) {
      const img = document.createElementNS('http://www.w3.org/2000/svg', 'image');
      for (const a of ['x', 'y', 'width', 'height']) img.setAttribute(a, fo.getAttribute(a) ?? '0');
      img.setAttribute('href', canvas.toDataURL('image/png'));
      g.appendChild(img);
    }
    fo.replaceWith(g);
  });
  const text = new XMLSerializer().serializeToString(clone);
  // A data: URL, not a blob: one — the page's CSP allows images from 'self' and data: only.
  const img = new Image();
  img.decoding = 'async';
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  });
  return img;
}

export async function chartsPng(svgs: SVGSVGElement[], header: string[]): Promise<Blob> {
  if (svgs.length === 0) throw new Error('no chart on screen to export');
  const images = await Promise.all(svgs.map(svgImage));
  const width = Math.max(...svgs.map((s) => s.width.baseVal.value || s.getBoundingClientRect().width));
  const top = 16 + header.length * HEADER_LINE;
  const height = top + svgs.reduce((h, s) => h + (s.height.baseVal.value || s.getBoundingClientRect().height) + 8, 0);
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width);
  canvas.height = Math.ceil(height);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('this browser cannot draw to a canvas');
  g.fillStyle = BG;
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.font = '13px system-ui, sans-serif';
  header.forEach((line, i) => {
    g.fillStyle = i === 0 ? '#ffffff' : '#c7ccd4';
    g.fillText(line, 12, 20 + i * HEADER_LINE);
  });
  let y = top;
  images.forEach((img, i) => {
    const h = svgs[i].height.baseVal.value || svgs[i].getBoundingClientRect().height;
    g.drawImage(img, 0, y);
    y += h + 8;
  });
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
  );
}
