package io.kemu.apiserver.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;

/**
 * A port of {@code k8s.io/apimachinery/pkg/api/resource.Quantity}'s parsing and canonical formatting
 * (quantity.go, amount.go, suffix.go), so that quantities compare and print exactly as kube-apiserver prints them
 * in messages ({@code 1.5} prints as {@code 1500m}, {@code 1024Mi} as {@code 1Gi}). Values are held exactly as
 * {@link BigDecimal}s.
 */
public final class GoQuantity implements Comparable<GoQuantity> {

    /** {@code resource.Format}. */
    public enum Format { DECIMAL_EXPONENT, BINARY_SI, DECIMAL_SI }

    /** Message of the JSON decoding error for a malformed quantity ({@code ErrFormatWrong}). */
    public static final String FORMAT_ERROR =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    private final BigDecimal value;
    private final Format format;
    private final String cached;      // the 's' field: original text when already canonical
    private final Integer int64Scale; // scale of the int64Amount fast path, null for the inf.Dec path

    private GoQuantity(BigDecimal value, Format format, String cached, Integer int64Scale) {
        this.value = value;
        this.format = format;
        this.cached = cached;
        this.int64Scale = int64Scale;
    }

    /** Thrown for strings {@code ParseQuantity} rejects. */
    public static final class QuantityFormatException extends IllegalArgumentException {
        public QuantityFormatException(String msg) {
            super(msg);
        }
    }

    /** The original text of a fabric8 Quantity (amount + format). */
    public static String text(Quantity q) {
        if (q == null) {
            return "";
        }
        String amount = q.getAmount() == null ? "" : q.getAmount();
        String fmt = q.getFormat() == null ? "" : q.getFormat();
        return amount + fmt;
    }

    /** Parses a fabric8 Quantity's text. */
    public static GoQuantity of(Quantity q) {
        return parse(text(q));
    }

    /** Parses, or returns null if malformed. */
    public static GoQuantity tryParse(String s) {
        try {
            return parse(s);
        } catch (QuantityFormatException e) {
            return null;
        }
    }

    private static final Map<String, int[]> DEC_SUFFIXES = Map.of(
            "n", new int[] {10, -9}, "u", new int[] {10, -6}, "m", new int[] {10, -3}, "", new int[] {10, 0},
            "k", new int[] {10, 3}, "M", new int[] {10, 6}, "G", new int[] {10, 9}, "T", new int[] {10, 12},
            "P", new int[] {10, 15}, "E", new int[] {10, 18});
    private static final Map<String, Integer> BIN_SUFFIXES = Map.of(
            "Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);
    private static final BigDecimal MAX_ALLOWED = new BigDecimal(Long.MAX_VALUE);

    /** {@code resource.ParseQuantity}. */
    public static GoQuantity parse(String str) {
        if (str == null || str.isEmpty()) {
            throw new QuantityFormatException(FORMAT_ERROR);
        }
        if (str.equals("0")) {
            return new GoQuantity(BigDecimal.ZERO, Format.DECIMAL_SI, str, 0);
        }
        // ---- parseQuantityString ----
        boolean positive = true;
        int pos = 0;
        int end = str.length();
        String value;
        String num;
        String denom = "";
        String suffix;
        if (str.charAt(0) == '-') {
            positive = false;
            pos++;
        } else if (str.charAt(0) == '+') {
            pos++;
        }
        scan:
        {
            int i = pos;
            while (true) {
                if (i >= end) {
                    num = "0";
                    value = num;
                    suffix = "";
                    break scan;
                }
                if (str.charAt(i) == '0') {
                    pos++;
                    i++;
                } else {
                    break;
                }
            }
            i = pos;
            while (true) {
                if (i >= end) {
                    num = str.substring(pos, end);
                    value = str.substring(0, end);
                    suffix = "";
                    break scan;
                }
                char c = str.charAt(i);
                if (c >= '0' && c <= '9') {
                    i++;
                } else {
                    num = str.substring(pos, i);
                    pos = i;
                    break;
                }
            }
            if (num.isEmpty()) {
                num = "0";
            }
            if (pos < end && str.charAt(pos) == '.') {
                pos++;
                i = pos;
                while (true) {
                    if (i >= end) {
                        denom = str.substring(pos, end);
                        value = str.substring(0, end);
                        suffix = "";
                        break scan;
                    }
                    char c = str.charAt(i);
                    if (c >= '0' && c <= '9') {
                        i++;
                    } else {
                        denom = str.substring(pos, i);
                        pos = i;
                        break;
                    }
                }
            }
            value = str.substring(0, pos);
            int suffixStart = pos;
            i = pos;
            while (true) {
                if (i >= end) {
                    suffix = str.substring(suffixStart, end);
                    break scan;
                }
                if ("eEinumkKMGTP".indexOf(str.charAt(i)) < 0) {
                    pos = i;
                    break;
                }
                i++;
            }
            if (pos < end && (str.charAt(pos) == '-' || str.charAt(pos) == '+')) {
                pos++;
            }
            i = pos;
            while (true) {
                if (i >= end) {
                    suffix = str.substring(suffixStart, end);
                    break scan;
                }
                char c = str.charAt(i);
                if (c >= '0' && c <= '9') {
                    i++;
                } else {
                    throw new QuantityFormatException(FORMAT_ERROR);
                }
            }
        }
        // ---- interpret suffix ----
        int base;
        int exponent;
        Format format;
        if (DEC_SUFFIXES.containsKey(suffix)) {
            base = 10;
            exponent = DEC_SUFFIXES.get(suffix)[1];
            format = Format.DECIMAL_SI;
        } else if (BIN_SUFFIXES.containsKey(suffix)) {
            base = 2;
            exponent = BIN_SUFFIXES.get(suffix);
            format = Format.BINARY_SI;
        } else if (suffix.length() > 1 && (suffix.charAt(0) == 'E' || suffix.charAt(0) == 'e')) {
            try {
                exponent = Math.toIntExact(Long.parseLong(suffix.substring(1)));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new QuantityFormatException("unable to parse quantity's suffix");
            }
            base = 10;
            format = Format.DECIMAL_EXPONENT;
        } else {
            throw new QuantityFormatException("unable to parse quantity's suffix");
        }

        // ---- int64 fast path ----
        int precision;
        int scale = 0;
        long mantissa = 1;
        if (format == Format.BINARY_SI) {
            if (exponent >= 0 && denom.isEmpty()) {
                mantissa = 1L << exponent;
                precision = 15 - num.length() - (int) ((float) exponent * 3 / 10) - 1;
            } else {
                precision = -1;
            }
        } else {
            scale = exponent;
            precision = 18 - (num.length() + denom.length());
        }
        if (precision >= 0) {
            scale -= denom.length();
            if (scale >= -9) {
                String shifted = num + denom;
                long v;
                try {
                    v = Long.parseLong(shifted);
                } catch (NumberFormatException e) {
                    throw new QuantityFormatException("unable to parse numeric part of quantity");
                }
                long result;
                boolean ok = true;
                try {
                    result = Math.multiplyExact(v, mantissa);
                } catch (ArithmeticException e) {
                    result = 0;
                    ok = false;
                }
                if (ok) {
                    if (!positive) {
                        result = -result;
                    }
                    String s = null;
                    if (format == Format.BINARY_SI) {
                        if (exponent % 10 == 0 && (v & 0x07) != 0) {
                            s = str;
                        }
                    } else if (scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0') {
                        s = str;
                    }
                    return new GoQuantity(BigDecimal.valueOf(result).scaleByPowerOfTen(scale), format, s, scale);
                }
            }
        }

        // ---- inf.Dec path ----
        BigDecimal amount;
        try {
            amount = new BigDecimal(value.endsWith(".") ? value.substring(0, value.length() - 1) : value);
        } catch (NumberFormatException e) {
            throw new QuantityFormatException("unable to parse numeric part of quantity");
        }
        if (base == 10) {
            amount = amount.scaleByPowerOfTen(exponent);
        } else {
            amount = amount.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent)));
        }
        int sign = amount.signum();
        amount = amount.abs();
        if (amount.signum() != 0 && amount.scale() > 9) {
            amount = amount.setScale(9, RoundingMode.UP);
        }
        if (format == Format.BINARY_SI && amount.compareTo(MAX_ALLOWED) > 0) {
            amount = MAX_ALLOWED;
        }
        if (format == Format.BINARY_SI && amount.compareTo(BigDecimal.ONE) < 0 && amount.signum() > 0) {
            format = Format.DECIMAL_SI;
        }
        if (sign < 0) {
            amount = amount.negate();
        }
        return new GoQuantity(amount, format, null, null);
    }

    public BigDecimal value() {
        return value;
    }

    public Format format() {
        return format;
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    /** {@code Quantity.Cmp}. */
    @Override
    public int compareTo(GoQuantity o) {
        return value.compareTo(o.value);
    }

    /** {@code Quantity.MilliValue()} (rounded up). */
    public BigInteger milliValue() {
        return value.movePointRight(3).setScale(0, RoundingMode.UP).toBigIntegerExact();
    }

    /** {@code q.RoundUp(resource.Milli)} as done by {@code SetDefaults_ResourceList}. */
    public GoQuantity roundUpMilli() {
        if (int64Scale != null) {
            if (int64Scale >= -3) {
                return this;
            }
            return new GoQuantity(value.setScale(3, RoundingMode.UP), format, null, -3);
        }
        BigDecimal v = value.scale() > 3 ? value.setScale(3, RoundingMode.UP) : value;
        return new GoQuantity(v, format, null, null);
    }

    /** {@code Quantity.Add}: the format of the receiver wins unless it is zero. */
    public GoQuantity add(GoQuantity y) {
        Format f = isZero() ? y.format : format;
        return new GoQuantity(value.add(y.value), f, null, null);
    }

    /** {@code Quantity.String()}. */
    @Override
    public String toString() {
        if (cached != null && !cached.isEmpty()) {
            return cached;
        }
        if (isZero()) {
            return "0";
        }
        Format f = format;
        BigDecimal rounded = null;
        if (f == Format.BINARY_SI) {
            if (value.compareTo(BigDecimal.valueOf(-1024)) > 0 && value.compareTo(BigDecimal.valueOf(1024)) < 0) {
                f = Format.DECIMAL_SI;
            } else {
                rounded = value.setScale(0, RoundingMode.UP);
                if (rounded.compareTo(value) != 0) {
                    f = Format.DECIMAL_SI;
                }
            }
        }
        if (f == Format.BINARY_SI) {
            BigInteger amount = rounded.toBigIntegerExact();
            BigInteger k = BigInteger.valueOf(1024);
            int times = 0;
            while (amount.signum() != 0 && amount.mod(k).signum() == 0) {
                amount = amount.divide(k);
                times++;
            }
            String suffix = switch (times) {
                case 1 -> "Ki";
                case 2 -> "Mi";
                case 3 -> "Gi";
                case 4 -> "Ti";
                case 5 -> "Pi";
                case 6 -> "Ei";
                default -> "";
            };
            return amount + suffix;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exp = -stripped.scale();
        int r = Math.floorMod(exp, 3);
        if (r != 0) {
            mantissa = mantissa.multiply(BigInteger.TEN.pow(r));
            exp -= r;
        }
        String suffix;
        if (f == Format.DECIMAL_EXPONENT) {
            suffix = exp == 0 ? "" : "e" + exp;
        } else {
            suffix = switch (exp) {
                case -9 -> "n";
                case -6 -> "u";
                case -3 -> "m";
                case 3 -> "k";
                case 6 -> "M";
                case 9 -> "G";
                case 12 -> "T";
                case 15 -> "P";
                case 18 -> "E";
                default -> "";
            };
        }
        return mantissa + suffix;
    }

    /** A fabric8 Quantity carrying this quantity's canonical text. */
    public Quantity toFabric8() {
        return new Quantity(toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GoQuantity g && value.compareTo(g.value) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(value.stripTrailingZeros());
    }
}
