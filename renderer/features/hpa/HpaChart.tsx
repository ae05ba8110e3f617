import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HpaSample } from './hpa-history';

/** Replicas (left axis) and metric values (right axis) over time. Loaded lazily: uPlot stays out of the first paint. */
export function HpaChart({ samples, metricNames, version }: { samples: HpaSample[]; metricNames: string[]; version: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const names = metricNames.join('|');
  useEffect(() => {
    if (!ref.current) return;
    const width = Math.max(320, ref.current.clientWidth);
    plot.current = new uPlot(
      {
        width,
        height: 220,
        series: [
          {},
          { label: 'current replicas', stroke: '#2f7ed8', width: 2 },
          { label: 'desired replicas', stroke: '#8e44ad', dash: [6, 4] },
          ...metricNames.map((n, i) => ({ label: n, stroke: ['#e67e22', '#16a085', '#c0392b', '#7f8c8d', '#d35400'][i % 5], scale: 'metric' })),
        ],
        axes: [{}, { label: 'replicas' }, { scale: 'metric', side: 1, label: 'metric' }],
        scales: { x: { time: true } },
      },
      [[], [], [], ...metricNames.map(() => [])],
      ref.current,
    );
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [names]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    const data: (number | null)[][] = [samples.map((s) => s.t / 1000), samples.map((s) => s.current), samples.map((s) => s.desired), ...metricNames.map((n) => samples.map((s) => s.metrics[n] ?? null))];
    plot.current?.setData(data as uPlot.AlignedData);
  }, [samples, version, names]); // eslint-disable-line react-hooks/exhaustive-deps
  return <div ref={ref} className="chart" data-testid="hpa-chart" aria-label="Replicas and metrics over time" />;
}
