() => {
  const px = (e) => e ? parseFloat(getComputedStyle(e).fontSize) : null;
  const main = document.querySelector('[data-testid="stMain"]');
  // the first paragraph people see (the hidden rerun button of ui/connection.py has one too)
  const para = [...main.querySelectorAll('[data-testid="stMarkdownContainer"] p')]
    .find((p) => p.checkVisibility());
  const past = [...document.querySelectorAll(
      '[data-testid="stMain"] *, [data-testid="stSidebar"] *, header *')]
    .filter((e) => !e.closest('[data-testid="stDataFrame"]'))
    .filter((e) => { const r = e.getBoundingClientRect();
                     return r.width > 0 && r.height > 0 && r.right > innerWidth + 1; })
    .slice(0, 5)
    .map((e) => `${e.tagName}.${e.getAttribute("data-testid") || e.className} ` +
                `${Math.round(e.getBoundingClientRect().right)}`);
  const clipped = [...main.querySelectorAll('[class*="st-key-szc-"] [data-testid="stMetric"]')]
    .flatMap((card) => [card, card.parentElement])
    .filter((e) => e.scrollHeight > e.clientHeight + 1)
    .map((e) => `${e.getAttribute("data-testid")} ${e.scrollHeight} > ${e.clientHeight}`);
  const chips = [...document.querySelectorAll('[data-tag] [title]')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => `chip ${e.title}`);
  return {root: px(document.documentElement), para: px(para), clipped: clipped.concat(chips),
          scroll: document.documentElement.scrollWidth, width: innerWidth,
          mainScroll: main.scrollWidth, mainWidth: main.clientWidth, past: past};
}
