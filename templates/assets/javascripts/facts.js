// The facts view: order and filter the rows of the facts × articles matrix in the page.
// Without JavaScript the matrix reads in story order and every cell still links to its passage.
document.addEventListener("DOMContentLoaded", () => {
  const table = document.getElementById("facts-matrix");
  if (!table) return;
  const controls = document.querySelector(".facts-controls");
  const sort = document.getElementById("facts-sort");
  const filter = document.getElementById("facts-filter");
  const count = document.getElementById("facts-count");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const FIRST = 2; // the fact and its count come before the articles' columns
  const order = (row, k) => row.cells[FIRST + k].dataset.o;
  const keys = {
    story: (r) => [+r.dataset.story],
    most: (r) => [-r.dataset.n, +r.dataset.story],
    fewest: (r) => [+r.dataset.n, +r.dataset.story],
    article: (r, k) => (order(r, k) === undefined ? [1, +r.dataset.story] : [0, +order(r, k)]),
  };
  const compare = (a, b) => a[0] - b[0] || (a[1] || 0) - (b[1] || 0);
  function apply() {
    const [how, column] = sort.value.split(":");
    const [what, k] = filter.value.split(":");
    const sorted = rows.map((r) => [keys[how](r, +column), r]).sort((a, b) => compare(a[0], b[0]));
    let shown = 0;
    for (const [, r] of sorted) {
      const here = k !== undefined && order(r, +k) !== undefined;
      r.hidden = what === "only" ? !(here && r.dataset.n === "1")
        : what === "omits" ? here || +r.dataset.n < 2 : false;
      if (!r.hidden) shown += 1;
      body.appendChild(r);
    }
    count.textContent = `${shown} of ${rows.length} facts shown`;
  }
  sort.addEventListener("change", apply);
  filter.addEventListener("change", apply);
  controls.hidden = false;
  apply();
});
