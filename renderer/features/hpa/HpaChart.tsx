import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HpaSample } from '../../../shared/models/views';
import { timeRange } from './hpa-history';

/** Replicas (left axis) and metric values (right axis) over time. Loaded lazily: uPlot stays out of the first paint. */
export function HpaChart({ samples, metricNames }: { samples: HpaSample[]; metricNames: string[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const samplesRef = useRef(samples);
  samplesRef.current = samples;
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
        // Replicas are whole numbers from 0; the time axis spans at least five minutes up to now.
        scales: { x: { time: true, range: () => timeRange(samplesRef.current, Date.now()) }, y: { range: (_u, _min, max) => [0, Math.max(1, max + 1)] } },
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
  }, [samples, names]); // eslint-disable-line react-hooks/exhaustive-deps
  // What the canvas draws, for tests and assistive tech: how many points, how many from events, the peak.
  const peak = samples.reduce((m, s) => Math.max(m, s.desired), 0);
  const fromEvents = samples.filter((s) => s.source === 'event').length;
  return (
    <div
      ref={ref}
      className="chart"
      data-testid="hpa-chart"
      data-samples={samples.length}
      data-event-samples={fromEvents}
      data-peak-desired={peak}
      aria-label={`Replicas and metrics over time: ${samples.length} points, up to ${peak} desired replicas`}
    />
  );
}
