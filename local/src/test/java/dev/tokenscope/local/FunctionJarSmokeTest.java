package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The peak memory FunctionJarSmoke reports, read from the shape of /proc/PID/status. */
class FunctionJarSmokeTest {

    private static final String STATUS = """
            Name:\tjava
            VmPeak:\t 4203756 kB
            VmHWM:\t  312804 kB
            VmRSS:\t  298112 kB
            Threads:\t21
            """;

    @Test
    void statusKb_shouldReadTheField_whenItIsPresent() {
        assertEquals(312804, FunctionJarSmoke.statusKb(STATUS, "VmHWM"));
        assertEquals(298112, FunctionJarSmoke.statusKb(STATUS, "VmRSS"));
    }

    @Test
    void statusKb_shouldBeMinusOne_whenTheFieldIsMissing() {
        // VmHW is a prefix of VmHWM, not a field of its own
        assertEquals(-1, FunctionJarSmoke.statusKb(STATUS, "VmHW"));
        assertEquals(-1, FunctionJarSmoke.statusKb("", "VmHWM"));
    }
}
