(tables) => tables.flatMap((table) => {
          const heads = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent);
          return Array.from(table.querySelectorAll("tbody tr"), (tr) => {
            const row = {};
            for (const td of tr.querySelectorAll("td")) {
              row[heads[Number(td.getAttribute("aria-colindex")) - 1]] = td.textContent;
              if (td.children.length) row["__markup"] = td.innerHTML;
            }
            return row;
          });
        })
