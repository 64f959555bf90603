package dev.cutout.server;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Which IP addresses the server may fetch an image URL from: public unicast ones only. Everything
 * that reaches the server itself, its network or its cloud (the metadata service at 169.254.169.254
 * is link-local) is refused, whichever way it is written: IPv4, IPv6, IPv4 inside IPv6 (mapped,
 * compatible, NAT64, 6to4, Teredo). The ranges are IANA's special-purpose address registries (RFC
 * 6890 and its updates) that are not globally reachable.
 */
final class PublicAddresses {
  private PublicAddresses() {}

  /** Why {@code address} is not public, e.g. {@code "loopback"}; empty when it may be fetched. */
  static Optional<String> whyNot(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 4 ? whyNotV4(b, 0) : whyNotV6(b);
  }

  private static Optional<String> whyNotV4(byte[] bytes, int at) {
    int a = bytes[at] & 0xFF;
    int b = bytes[at + 1] & 0xFF;
    int c = bytes[at + 2] & 0xFF;
    if (a == 0) {
      return Optional.of("unspecified (0.0.0.0/8)");
    }
    if (a == 127) {
      return Optional.of("loopback (127.0.0.0/8)");
    }
    if (a == 10 || (a == 172 && (b & 0xF0) == 16) || (a == 192 && b == 168)) {
      return Optional.of("private (RFC 1918)");
    }
    if (a == 100 && (b & 0xC0) == 64) {
      return Optional.of("shared address space (100.64.0.0/10)");
    }
    if (a == 169 && b == 254) {
      return Optional.of("link-local (169.254.0.0/16)");
    }
    if (a == 192 && b == 0 && (c == 0 || c == 2)) {
      return Optional.of("special-purpose (192.0.0.0/24, 192.0.2.0/24)");
    }
    if (a == 198 && (b & 0xFE) == 18) {
      return Optional.of("benchmarking (198.18.0.0/15)");
    }
    if ((a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113)) {
      return Optional.of("documentation");
    }
    if (a >= 224 && a < 240) {
      return Optional.of("multicast (224.0.0.0/4)");
    }
    if (a >= 240) {
      return Optional.of("reserved or broadcast (240.0.0.0/4)");
    }
    return Optional.empty();
  }

  private static Optional<String> whyNotV6(byte[] b) {
    int first = (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
    int second = (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    int third = (b[4] & 0xFF) << 8 | (b[5] & 0xFF);
    if (zeros(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
      return whyNotV4(b, 12).map(why -> "IPv4-mapped " + why);
    }
    if (zeros(b, 0, 12)) {
      if (zeros(b, 12, 15) && (b[15] == 0 || b[15] == 1)) {
        return Optional.of(b[15] == 0 ? "unspecified (::)" : "loopback (::1)");
      }
      return Optional.of("IPv4-compatible (::/96, deprecated)");
    }
    if (first == 0x64 && second == 0xff9b && zeros(b, 4, 12)) {
      return whyNotV4(b, 12).map(why -> "NAT64 of " + why);
    }
    if (first == 0x64 && second == 0xff9b && third == 1) {
      return Optional.of("local-use NAT64 (64:ff9b:1::/48)");
    }
    if (first == 0x100 && zeros(b, 2, 8)) {
      return Optional.of("discard-only (100::/64)");
    }
    if (first == 0x2001 && second == 0) {
      return Optional.of("Teredo (2001::/32)");
    }
    if (first == 0x2001 && second == 2 && third == 0) {
      return Optional.of("benchmarking (2001:2::/48)");
    }
    if (first == 0x2001 && second == 0xdb8) {
      return Optional.of("documentation (2001:db8::/32)");
    }
    if (first == 0x2002) {
      return whyNotV4(b, 2).map(why -> "6to4 of " + why);
    }
    if ((first & 0xFE00) == 0xFC00) {
      return Optional.of("unique local (fc00::/7)");
    }
    if ((first & 0xFFC0) == 0xFE80) {
      return Optional.of("link-local (fe80::/10)");
    }
    if ((first & 0xFFC0) == 0xFEC0) {
      return Optional.of("site-local (fec0::/10)");
    }
    if ((first & 0xFF00) == 0xFF00) {
      return Optional.of("multicast (ff00::/8)");
    }
    // the NAT64 of a public address has been let through above; everything else outside 2000::/3
    // is reserved by IANA, not global unicast
    if ((first & 0xE000) != 0x2000) {
      return Optional.of("not global unicast (outside 2000::/3)");
    }
    return Optional.empty();
  }

  private static boolean zeros(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
