() => {
  const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  const r = f.getBoundingClientRect(), W = innerWidth, H = innerHeight;
  const w = Math.max(0, Math.min(r.right, W) - Math.max(r.left, 0));
  const h = Math.max(0, Math.min(r.bottom, H) - Math.max(r.top, 0));
  const bar = document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect();
  return {share: w * h / (W * H), visible: w * h / (r.width * r.height), bottom: r.bottom - H,
          overflow: document.documentElement.scrollWidth - W,
          mainOverflow: document.querySelector('[data-testid="stMain"]').scrollWidth - W,
          sidebarRight: bar.right, sidebarWidth: bar.width};
}
