package live

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrPrivateAddress is refused by a SafeClient: a user-supplied URL (a
// status feed, a Mastodon instance) must not make the server reach into
// its own network (SSRF).
var ErrPrivateAddress = errors.New("refusing to connect to a loopback, private or link-local address (set AFTERSHOCK_ALLOW_PRIVATE_URLS=1 to allow it)")

// SafeClient is an HTTP client for user-supplied URLs: unless allowPrivate,
// it refuses to connect to loopback, private, link-local, multicast and
// unspecified addresses. The check runs on the address actually dialled
// (after DNS and every redirect), so DNS rebinding cannot get around it.
func SafeClient(timeout time.Duration, allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: 15 * time.Second}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip, err := netip.ParseAddr(host)
			if err != nil {
				return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
			}
			if !PublicAddr(ip) {
				return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
			}
			return nil
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = d.DialContext
	tr.Proxy = nil // a proxy would dial on our behalf, unchecked
	return &http.Client{Timeout: timeout, Transport: tr}
}

// PublicAddr reports whether ip is a public unicast address.
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() &&
		!ip.IsLinkLocalMulticast() && !ip.IsInterfaceLocalMulticast() && !ip.IsMulticast() && !ip.IsUnspecified() &&
		!netip.MustParsePrefix("100.64.0.0/10").Contains(ip) && // carrier-grade NAT
		!netip.MustParsePrefix("169.254.0.0/16").Contains(ip) // cloud metadata
}
