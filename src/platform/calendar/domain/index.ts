export * from './dates';
export * from './holiday-calendar';
export * from './legal-period';
export { chineseDaysData } from './chinese-days-data';
export * from './holiday-file';
export * from './calendar-diff';
export * from './working-day-arithmetic';
export * from './day-words';
