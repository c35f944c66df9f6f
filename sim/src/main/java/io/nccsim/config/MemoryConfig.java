package io.nccsim.config;

import io.nccsim.common.BadInputException;

import java.util.Optional;

/**
 * The memory system (YAML section {@code memory}): which model simulates it, and the DRAM it has.
 *
 * @param model         registered memory model: lpddr (cycle-level controller and devices) or ideal (fixed latency,
 *                      peak bandwidth)
 * @param standard      DRAM standard, e.g. LPDDR4
 * @param dataRateTps   transfers per second per data pin ({@code memory.data_rate}, e.g. 3200 MT/s)
 * @param busWidthBits  total data bus width between the SoC and its DRAM
 * @param device        channel width and array geometry (needed by lpddr)
 * @param controller    scheduling and policies (needed by lpddr)
 * @param power         IDD currents per supply rail (needed by lpddr's energy model)
 * @param ideal         parameters of the ideal model (needed by ideal)
 * @param sampling      how the lpddr model spends its detail over a long trace
 */
public record MemoryConfig(Model model, Standard standard, double dataRateTps, int busWidthBits, Device device,
                           Controller controller, Power power, Ideal ideal, Sampling sampling) {

    public enum Standard { LPDDR4, LPDDR4X, LPDDR5 }

    public enum Model { IDEAL, LPDDR }

    /**
     * @param channelWidthBits data width of one channel (16 for LPDDR4, LPDDR4X and LPDDR5)
     * @param ranks            ranks per channel
     * @param rows             rows per bank
     * @param columns          columns per row, in device-width words
     */
    public record Device(int channelWidthBits, int ranks, int rows, int columns) {
        static Device read(ConfigReader r) {
            Device d = new Device(r.integer("channel_width_bits", 8, 64), r.integer("ranks", 1, 8),
                    r.integer("rows", 1024, 1 << 22), r.integer("columns", 64, 1 << 16));
            r.finish();
            if (Integer.bitCount(d.columns) != 1) {
                throw new BadInputException(r.location() + ": " + r.path() + ".columns: " + d.columns
                        + " is not a power of two; column addresses are bit fields");
            }
            return d;
        }
    }

    public enum Scheduler { FRFCFS, FCFS }

    public enum PagePolicy { OPEN, CLOSED }

    /** Address mappings, named most significant field first. */
    public enum Mapping { RO_BA_RA_CO_CH, BANK_XOR }

    public enum Refresh { ALL_BANK, PER_BANK }

    /**
     * @param readQueue      read transactions (bursts) each channel holds
     * @param writeQueue     write transactions each channel holds
     * @param writeHigh      write-queue fill at which the channel starts draining writes
     * @param writeLow       write-queue fill at which draining stops
     * @param requestQueue   client requests the controller's front end holds (the back-pressure point)
     * @param checkTiming    feed every command to the independent timing checker
     */
    public record Controller(Scheduler scheduler, PagePolicy pagePolicy, Mapping mapping, Refresh refresh,
                             int readQueue, int writeQueue, int writeHigh, int writeLow, int requestQueue,
                             boolean checkTiming) {
        static Controller read(ConfigReader r) {
            Controller c = new Controller(r.choice("scheduler", Scheduler.class, Scheduler.FRFCFS),
                    r.choice("page_policy", PagePolicy.class, PagePolicy.OPEN),
                    r.choice("mapping", Mapping.class, Mapping.RO_BA_RA_CO_CH),
                    r.choice("refresh", Refresh.class, Refresh.ALL_BANK),
                    r.integer("read_queue", 1, 4096, 32), r.integer("write_queue", 1, 4096, 32),
                    r.integer("write_high_watermark", 1, 4096, 24), r.integer("write_low_watermark", 0, 4096, 8),
                    r.integer("request_queue", 1, 1 << 20, 64), r.bool("check_timing", false));
            r.finish();
            if (c.writeLow >= c.writeHigh || c.writeHigh > c.writeQueue) {
                throw new BadInputException(r.location() + ": " + r.path() + ": watermarks must satisfy "
                        + "write_low_watermark < write_high_watermark <= write_queue");
            }
            return c;
        }
    }

    /** Supply currents of one rail, per channel die, in amperes (JEDEC IDD names). */
    public record Rail(double volts, double idd0, double idd2n, double idd3n, double idd4r, double idd4w,
                       double idd5) {
        static Rail read(ConfigReader r) {
            Rail rail = new Rail(r.voltageV("voltage"), r.currentA("idd0"), r.currentA("idd2n"), r.currentA("idd3n"),
                    r.currentA("idd4r"), r.currentA("idd4w"), r.currentA("idd5"));
            r.finish();
            return rail;
        }
    }

    /** The rails of an LPDDR device: VDD1 (core, 1.8 V), VDD2 (core and array) and VDDQ (I/O). */
    public record Power(Rail vdd1, Rail vdd2, Rail vddq) {
        static Power read(ConfigReader r) {
            Power p = new Power(Rail.read(r.section("vdd1")), Rail.read(r.section("vdd2")),
                    Rail.read(r.section("vddq")));
            r.finish();
            return p;
        }

        public Rail[] rails() {
            return new Rail[] {vdd1, vdd2, vddq};
        }
    }

    /**
     * @param latencyPs   from a request reaching the controller to its last byte returned, at no load
     * @param queueDepth  requests the controller holds at once; more wait (back-pressure)
     */
    public record Ideal(long latencyPs, int queueDepth) {
        static Ideal read(ConfigReader r) {
            Ideal i = new Ideal(r.timePs("latency"), r.integer("queue_depth", 1, 1 << 20, 64));
            r.finish();
            return i;
        }
    }

    /**
     * Steady-state sampling for the cycle-level model. LLM decoding repeats the same transfers token after token,
     * so after the prefill and {@code warmupSteps} decode steps in full detail the memory is fast-forwarded: decode
     * steps run on a bandwidth-and-latency model calibrated on the last detailed step (and its DRAM energy per byte
     * and static power), and every {@code period}-th decode step and the last one run in detail again to
     * recalibrate. Off when {@code enabled} is false or the timing checker is on (the checker needs every command).
     */
    public record Sampling(boolean enabled, int warmupSteps, int period) {
        static Sampling read(ConfigReader r) {
            Sampling s = new Sampling(r.bool("enabled", true), r.integer("warmup_steps", 1, 1 << 20, 2),
                    r.integer("period", 1, 1 << 20, 32));
            r.finish();
            return s;
        }

        static Sampling defaults() {
            return new Sampling(true, 2, 32);
        }
    }

    static MemoryConfig read(ConfigReader r) {
        Model model = r.choice("model", Model.class);
        Standard standard = r.choice("standard", Standard.class);
        double rate = r.quantity("data_rate", Units.Dimension.DATA_RATE, 1e8, 1e11);
        int bus = r.integer("bus_width_bits", 8, 1024);
        Optional<ConfigReader> dev = r.optionalSection("device");
        Optional<ConfigReader> ctl = r.optionalSection("controller");
        Optional<ConfigReader> pow = r.optionalSection("power");
        Optional<ConfigReader> ide = r.optionalSection("ideal");
        Optional<ConfigReader> smp = r.optionalSection("sampling");
        MemoryConfig c = new MemoryConfig(model, standard, rate, bus,
                dev.map(Device::read).orElse(null), ctl.map(Controller::read).orElse(null),
                pow.map(Power::read).orElse(null), ide.map(Ideal::read).orElse(null),
                smp.map(Sampling::read).orElse(Sampling.defaults()));
        r.finish();
        if (model == Model.LPDDR) {
            for (String key : new String[] {"device", "controller", "power"}) {
                if (!r.has(key)) {
                    throw new BadInputException(r.location() + ": memory: model lpddr needs the section '" + key
                            + "' (see configs/dram/ for the device and power of each part)");
                }
            }
            if (bus % c.device.channelWidthBits != 0) {
                throw new BadInputException(r.location() + ": memory.bus_width_bits: " + bus
                        + " is not a whole number of " + c.device.channelWidthBits + "-bit channels");
            }
        } else if (c.ideal == null) {
            throw new BadInputException(r.location() + ": memory: model ideal needs the section 'ideal' "
                    + "(latency, queue_depth)");
        }
        return c;
    }

    /** Peak data bandwidth: data rate times bus width. */
    public double peakBandwidthBytesPerS() {
        return dataRateTps * busWidthBits / 8.0;
    }

    public int channels() {
        return busWidthBits / device.channelWidthBits;
    }
}
