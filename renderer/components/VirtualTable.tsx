import { useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

export interface Column<Row> {
  id: string;
  header: string;
  /** CSS grid track, e.g. `2fr` or `120px`. */
  width?: string;
  render(row: Row): ReactNode;
  align?: 'start' | 'end';
}

/**
 * A table that renders only the rows in view, so 10,000 rows cost what 30 do. Rows are keyed by
 * `rowKey` (uids), so an update to one row re-renders that row only.
 */
export function VirtualTable<Row>({
  rows,
  columns,
  rowKey,
  label,
  rowHeight = 34,
  height = 480,
  onRowClick,
  selectedKey,
}: {
  rows: readonly Row[];
  columns: Column<Row>[];
  rowKey(row: Row): string;
  label: string;
  rowHeight?: number;
  height?: number | string;
  onRowClick?(row: Row): void;
  selectedKey?: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    getItemKey: (index) => rowKey(rows[index]!),
  });
  const template = columns.map((c) => c.width ?? '1fr').join(' ');
  return (
    <div className="vtable" role="table" aria-label={label} aria-rowcount={rows.length + 1}>
      <div className="vtable-row vtable-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c.id} role="columnheader" className={c.align === 'end' ? 'num' : undefined}>
            {c.header}
          </div>
        ))}
      </div>
      <div ref={scrollRef} className="vtable-body" style={{ height }} data-testid="vtable-body">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const key = String(item.key);
            return (
              <div
                key={key}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={selectedKey === undefined ? undefined : selectedKey === key}
                tabIndex={onRowClick ? 0 : undefined}
                className={`vtable-row${selectedKey === key ? ' selected' : ''}${onRowClick ? ' clickable' : ''}`}
                style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${item.start}px)` }}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
                onKeyDown={
                  onRowClick
                    ? (event) => {
                        if (event.key === 'Enter' || event.key === ' ') {
                          event.preventDefault();
                          onRowClick(row);
                        }
                      }
                    : undefined
                }
              >
                {columns.map((c) => (
                  <div key={c.id} role="cell" className={c.align === 'end' ? 'num' : undefined}>
                    {c.render(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
