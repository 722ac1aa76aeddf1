/** What the viewer shows now; one object, read and changed by every part of the page. */
import type { SessionDetails } from '../../types';

export const state = {
  sessionId: null as string | null,
  /** The selected event, or the session itself (its event id is its session id). */
  eventId: null as string | null,
  /** Events whose children are folded away. */
  collapsed: new Set<string>(),
  /** Detail sections the user closed; they stay closed from event to event. */
  closedSections: new Set<string>(),
  /** Detail sections the user switched from the chat view to raw JSON; they stay so too. */
  rawSections: new Set<string>(),
  /** Last answers as text: an unchanged answer re-renders nothing. */
  sessionsText: '',
  sessionText: '',
  detailsText: '',
  details: null as SessionDetails | null,
};
