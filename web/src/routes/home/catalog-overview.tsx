import { Skeleton, Statistic } from 'antd';
import { PieChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import { SHARE_TYPES, type ShareType, useCatalogSearch } from '../../api/catalog';
import { EmptyState } from '../../components/states';
import { useT } from '../../i18n';

echarts.use([PieChart, LegendComponent, TooltipComponent, CanvasRenderer]);

const COLORS: Record<ShareType, string> = { unconditional: '#389e0d', conditional: '#d48806', none: '#cf1322' };

/** Published entries counted per share type (three one-row searches). */
function useShareTypeCounts() {
  const unconditional = useCatalogSearch({ shareType: 'unconditional', page: 1, pageSize: 1 });
  const conditional = useCatalogSearch({ shareType: 'conditional', page: 1, pageSize: 1 });
  const none = useCatalogSearch({ shareType: 'none', page: 1, pageSize: 1 });
  const all = [unconditional, conditional, none];
  const a = unconditional.data?.total ?? 0;
  const b = conditional.data?.total ?? 0;
  const c = none.data?.total ?? 0;
  const counts = useMemo<Record<ShareType, number>>(() => ({ unconditional: a, conditional: b, none: c }), [a, b, c]);
  return {
    isPending: all.some((q) => q.isPending),
    isError: all.every((q) => q.isError),
    counts,
  };
}

/** 目录概览: a pie of published entries by 共享类型. */
export default function CatalogOverview() {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const { isPending, isError, counts } = useShareTypeCounts();
  const total = counts.unconditional + counts.conditional + counts.none;

  useEffect(() => {
    const el = ref.current;
    if (!el || isPending || total === 0) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.setOption({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0, icon: 'circle' },
      series: [
        {
          type: 'pie',
          radius: ['45%', '70%'],
          center: ['50%', '45%'],
          label: { formatter: '{c}' },
          data: SHARE_TYPES.map((type) => ({
            name: t(`shareType.${type}`),
            value: counts[type],
            itemStyle: { color: COLORS[type] },
          })),
        },
      ],
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [isPending, total, counts, t]);

  if (isPending) return <Skeleton active />;
  if (isError || total === 0) return <EmptyState description={t('home.overviewEmpty')} />;
  return (
    <div>
      <Statistic title={t('home.publishedEntries')} value={total} />
      <div ref={ref} style={{ height: 240 }} role="img" aria-label={t('home.overviewChart')} />
    </div>
  );
}
