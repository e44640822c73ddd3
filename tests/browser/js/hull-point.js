([id, zoom]) => {
          for (const k in map._layers) {
            const l = map._layers[k];
            if (!(l.feature && l.feature.properties.id === id && l.getCenter)) continue;
            const g = l.feature.geometry;
            if (g.type === "LineString") {
              const [a, b] = g.coordinates.slice(0, 2).map(
                ([lon, lat]) => map.project([lat, lon], zoom));
              const c = map.unproject(a.add(b).divideBy(2), zoom);
              return [c.lat, c.lng];
            }
            const c = l.getCenter();
            return [c.lat, c.lng];
          }
          return null;
        }
