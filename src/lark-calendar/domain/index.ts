export {
  attendeeChanges, desiredEvent, eventDescription, eventSummary, EVENT_TIMEZONE, isOpenId, retryDelayMs, shanghaiTimestamp,
  type DesiredEvent, type EventBody, type SessionForEvent,
} from './session-event';
export { desiredMeetingEvent, meetingDescription, meetingSummary, type MeetingForEvent } from './meeting-event';
