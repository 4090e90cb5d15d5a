import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ItemsOf } from './client';

/** A statutory holiday period, dates inclusive. */
export type Holiday = { name: string; nameEn: string; start: string; end: string };
/** One year of the official calendar: holidays and adjusted working weekends (调休). */
export type CalendarYear = { year: number; holidays: Holiday[]; adjustedWorkdays: string[] };
export type CalendarYearInput = Omit<CalendarYear, 'year'>;
export type AddWorkingDaysResult = { from: string; days: number; result: string };
export type WorkingDayAnswer = { date: string; isWorkingDay: boolean; kind: string };

/** Query keys of the calendar domain. */
export const calendarKeys = {
  all: ['calendar'] as const,
  years: () => [...calendarKeys.all, 'years'] as const,
  addWorkingDays: (from: string, days: number) => [...calendarKeys.all, 'add', from, days] as const,
  isWorkingDay: (date: string) => [...calendarKeys.all, 'is-working-day', date] as const,
};

/** All configured years. */
export function useCalendarYears() {
  return useQuery({
    queryKey: calendarKeys.years(),
    queryFn: ({ signal }) => api.get<ItemsOf<CalendarYear>>('/calendar/years', undefined, signal),
  });
}

/** Creates or replaces a year (platform_admin). */
export function usePutCalendarYear() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ year, ...input }: CalendarYear) => api.put<CalendarYear>(`/calendar/years/${year}`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: calendarKeys.all }),
  });
}

/** `from` plus `days` working days; runs once both are given. */
export function useAddWorkingDays(from: string | undefined, days: number | undefined) {
  return useQuery({
    queryKey: calendarKeys.addWorkingDays(from ?? '', days ?? 0),
    queryFn: ({ signal }) =>
      api.get<AddWorkingDaysResult>('/calendar/add-working-days', { from, days }, signal),
    enabled: Boolean(from) && days !== undefined,
  });
}

/** Whether a date is a working day, and why. */
export function useIsWorkingDay(date: string | undefined) {
  return useQuery({
    queryKey: calendarKeys.isWorkingDay(date ?? ''),
    queryFn: ({ signal }) => api.get<WorkingDayAnswer>('/calendar/is-working-day', { date }, signal),
    enabled: Boolean(date),
  });
}
