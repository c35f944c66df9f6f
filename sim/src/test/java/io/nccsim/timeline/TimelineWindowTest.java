package io.nccsim.timeline;

import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TimelineWindowTest {
    @Test
    void parsesMillisecondsToPicoseconds() {
        assertEquals(new TimelineWindow(100_000_000_000L, 102_000_000_000L),
                TimelineWindow.parseMs("100..102", "--timeline"));
        assertEquals(new TimelineWindow(500_000_000L, 750_000_000L),
                TimelineWindow.parseMs(" 0.5 .. 0.75 ", "--timeline"));
    }

    @Test
    void rejectsWhatIsNotARangeForward() {
        for (String bad : new String[] {"100", "102..100", "1..1", "x..2", "1..y", "-1..2", "..", "1e20..1e21"}) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> TimelineWindow.parseMs(bad, "--timeline"), bad);
            assertTrue(e.getMessage().startsWith("--timeline " + bad + ":"), e.getMessage());
            assertTrue(e.getMessage().contains("e.g. --timeline 100..102"), e.getMessage());
        }
    }

    @Test
    void overlapKeepsSpansTouchingTheInside() {
        TimelineWindow w = new TimelineWindow(1000, 2000);
        assertTrue(w.overlaps(0, 1001));
        assertTrue(w.overlaps(1999, 5000));
        assertTrue(w.overlaps(1500, 1500), "an instant inside");
        assertTrue(w.overlaps(1000, 1000), "an instant at the start");
        assertFalse(w.overlaps(0, 1000), "ends as the window starts");
        assertFalse(w.overlaps(2000, 3000), "starts as the window ends");
    }

    @Test
    void microsecondsAreExactDecimals() {
        assertEquals("0", Micros.ofPs(0));
        assertEquals("0.18", Micros.ofPs(180_000));
        assertEquals("1204", Micros.ofPs(1_204_000_000));
        assertEquals("0.000001", Micros.ofPs(1));
        assertEquals("199.804375", Micros.ofPs(199_804_375));
    }
}
