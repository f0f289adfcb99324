# tlscreds: `make test` is what CI runs (.ci/run). It installs the real TLS
# peers the interop tests use when they are missing, then vets, runs
# every test with the race detector, and runs every benchmark once (so a
# broken benchmark fails CI; the numbers come from `make bench`).

GO ?= go
# Some peers live in /usr/sbin (ip), which a non-login shell may leave out.
export PATH := $(PATH):/usr/sbin:/sbin
# Debian packages the tests need: OpenSSL and GnuTLS peers, QEMU's own
# credential loader (qemu-img), its NBD and VNC servers (qemu-nbd, the system
# emulator with no machine), and unshare/ip for peers that cannot bind
# to loopback only (they run in a private network namespace); setpriv runs
# commands as nobody where tests need a user who cannot read a file; zsh,
# fish and nroff run the completion scripts and render the man page;
# Prometheus, promtool and node_exporter check and scrape the metrics; libvirt's
# daemon and virsh are the other side of the libvirt differential.
TEST_PACKAGES := jq acl openssl gnutls-bin qemu-utils qemu-system-x86 iproute2 util-linux curl zsh fish groff-base pre-commit prometheus prometheus-node-exporter libvirt-daemon libvirt-clients
TEST_TOOLS := jq setfacl openssl gnutls-cli gnutls-serv certtool qemu-img qemu-nbd qemu-system-x86_64 unshare setpriv ip curl zsh fish nroff pre-commit prometheus promtool prometheus-node-exporter libvirtd virsh
# The recorder of real clients' output (fixtures/recorder) also runs nginx,
# socat, Python's ssl, Java 17's JSSE, and (round 7) Node.js's https and
# wget (Debian's, built with GnuTLS). The recordings were made with
# NodeSource's Node.js 20; Debian 12's nodejs is 18, whose outputs the
# live test re-records as for any peer whose version changed. Round 8
# adds Python's requests (python3-requests: a module, not a command, so
# the recorder itself fails with what is missing when python3 cannot
# import it) and git over https (Debian's: libcurl with GnuTLS). Round 10
# adds PostgreSQL 15 (postgresql: the postgres server, run as the postgres
# user it creates, is out of PATH in /usr/lib/postgresql/VERSION/bin, so
# deps looks for it there; psql) and stunnel 5 (stunnel4). Round 11 adds
# Apache httpd 2.4 with mod_ssl (apache2, in /usr/sbin), OpenLDAP 2.5's
# slapd (slapd, in /usr/sbin; Debian builds it with GnuTLS; its postinst
# is asked not to prompt, and the recorder never uses a system slapd: its
# own listen on 127.0.0.1 at free ports) and ldapsearch (ldap-utils).
# Round 12 adds lighttpd 1.4 with mod_openssl (lighttpd and its separate
# lighttpd-mod-openssl; in /usr/sbin) and Redis 7.0 (redis-server, built
# with TLS; redis-cli from redis-tools). Their packages enable system
# services (lighttpd on port 80, redis-server on 6379) that a machine
# with an init may start: the recorder never uses them, its own run in
# the foreground on 127.0.0.1 at free ports. Round 13 adds mail: Postfix
# 3.7 (postfix, in /usr/sbin; it creates the postfix user and postdrop
# group its private instances run as), Dovecot 2.3's IMAP (dovecot-imapd,
# with dovecot-core; the dovecot and dovenull users) and swaks with
# libnet-ssleay-perl, without which swaks has no TLS (a recommendation
# only). Their packages enable system services (Postfix on port 25,
# Dovecot on 143 and 993) that a machine with an init may start: the
# recorder never uses them, its own instances run in the foreground with
# private directories on 127.0.0.1 at free ports.
# Round 14 adds MariaDB 10.11 (mariadb-server: mariadbd, in /usr/sbin,
# and mariadb-install-db; mariadb-client: the mariadb client), PyMySQL
# (python3-pymysql: a module, so deps checks that a Python imports it,
# as for requests) and Mosquitto 2.0 (mosquitto, in /usr/sbin;
# mosquitto_pub from mosquitto-clients). Their packages enable system
# services (mariadb on 3306, mosquitto on 1883) that a machine with an
# init may start: the recorder never uses them, its own instances run
# in private directories on 127.0.0.1 at free ports.
# Round 15 adds nbd-server 3.24 (nbd-server, built with GnuTLS; in
# /usr/bin) and libnbd's nbdinfo (libnbd-bin). nbd-server's package
# enables a system service (on port 10809) that a machine with an init
# may start: the recorder never uses it, its own run in the foreground
# with their own configuration files on 127.0.0.1 at free ports.
# Round 16 adds vsftpd 3.0.3 (vsftpd, in /usr/sbin; its package creates
# the ftp user anonymous sessions run as) and lftp. vsftpd's package
# enables a system service on port 21 that a machine with an init may
# start: the recorder never uses it, its own instances run from private
# directories on 127.0.0.1 at free ports.
# Round 17 adds HAProxy 2.6 (haproxy, in /usr/sbin). Its package enables
# a system service that a machine with an init may start: the recorder
# never uses it, its own instances run in the foreground from private
# directories on 127.0.0.1 at free ports. So does round 20's Caddy 2.6
# (caddy, in /usr/bin).
# Round 21 adds Apache Tomcat 10.1 (tomcat10, with Java 17; its
# catalina.sh is no command on PATH: deps looks for the file). Its
# package enables a system service on port 8080 that a machine with an
# init may start: the recorder never uses it, its own instances run in
# the foreground with private CATALINA_BASEs on 127.0.0.1 at free ports.
# Round 22 adds ngIRCd 26 (ngircd, in /usr/sbin, GnuTLS). Its package
# enables a system service on port 6667 that a machine with an init may
# start: the recorder never uses it, its own instances run in the
# foreground from private directories on 127.0.0.1 at free ports.
# Round 23 adds RabbitMQ 3.10 (rabbitmq-server, with Erlang 25 and its
# epmd), amqp-tools and python3-pika as its clients. Its package enables
# a system service that a machine with an init may start: the recorder
# never uses it, its own nodes run in the foreground with private
# directories, node names and epmds on 127.0.0.1 at free ports.
# Round 24 adds Botan 2.19 (botan: its command-line tool's tls_server
# and tls_client, a TLS implementation of its own); it has no service.
# Round 25 adds HTTPS clients against nginx: ruby (net/http, OpenSSL),
# php-cli (the https stream wrapper, OpenSSL), lynx and aria2 (both
# GnuTLS). None of them runs a service.
# Round 26 adds Exim 4.96 (Debian's exim4-daemon-light, GnuTLS). Its
# package and postfix's conflict (each is the system's mail transport
# agent: installing it removes postfix), so deps does not install it:
# it extracts the package (apt-get download, dpkg-deb -x) into
# EXIM_ROOT, installs the libraries it links that a Debian system may
# lack (libgnutls-dane0, libidn12, libnsl2, libdb5.3: the libraries of
# its Depends line) and creates the Debian-exim user it
# runs as (as exim4-base would; with --allow-bad-names, without which
# Debian 12's adduser 3.134 refuses the capital letter on a fresh
# machine). No system MTA is started or replaced.
# Round 27 adds Unbound 1.17 (DNS over TLS) with kdig (knot-dnsutils,
# GnuTLS) and dig (bind9-dnsutils, OpenSSL) as its clients. unbound's
# package enables a system service that a machine with an init may
# start: the recorder never uses it, its own instances run in the
# foreground from private directories on 127.0.0.1 at free ports.
# Round 28 adds etcd 3.4 (etcd-server, gRPC over TLS) with etcdctl
# (etcd-client) as its client. etcd-server enables a system service that
# a machine with an init may start: the recorder never uses it, its own
# etcd runs in the foreground from a private directory on 127.0.0.1 at
# free ports.
# Round 29 adds hitch 1.7 (Varnish's TLS proxy, OpenSSL 3); its package
# enables a system service too, which the recorder never uses.
# Round 30 adds more HTTPS clients against nginx: Perl's LWP
# (libwww-perl, liblwp-protocol-https-perl: IO::Socket::SSL, OpenSSL),
# nmap's ncat and w3m (both OpenSSL); socat is already here. None of
# them runs a service.
# Round 31 adds PgBouncer 1.18 (the package enables a system service
# too, which the recorder never uses).
# Round 32 adds lighttpd's four other TLS modules (lighttpd-mod-gnutls,
# -mbedtls, -wolfssl, -nss, which pull in libmbedtls14 and libwolfssl35);
# they run no service of their own.
# Round 33 adds Prometheus's node exporter 1.5 as a server and
# Prometheus 2.42 as a client (both in TEST_PACKAGES already; both
# packages enable a system service too, which the recorder never uses:
# its own instances run in the foreground from private directories).
# Round 34 adds rsyslog with its GnuTLS and OpenSSL stream drivers
# (rsyslog-gnutls, rsyslog-openssl); the package enables a system
# service, which the recorder never uses (its rsyslogd instances run in
# the foreground from private directories, never /etc/rsyslog.conf or
# /dev/log).
# Round 35 adds two SMTP clients, msmtp (GnuTLS) and s-nail (mailx,
# OpenSSL); the recorder never reads /etc/msmtprc or /etc/s-nail.rc.
# Round 36 adds the Zabbix agent 6.0 (zabbix-agent: zabbix_agentd and
# zabbix_sender, GnuTLS); the package enables a system service on port
# 10050, which the recorder never uses: its agent runs in the foreground
# from a private directory at the bench's port.
# Round 37 adds dnsdist 1.7 (a DNS-over-TLS frontend; Debian's is built
# with OpenSSL alone); the package enables a system service, which the
# recorder never uses: its dnsdist runs in the foreground from a private
# Lua configuration at the bench's port.
# Round 38 adds no program: its services are small scripts run by the
# ruby and perl already here, Perl's with IO::Socket::SSL
# (libio-socket-ssl-perl, which libwww-perl pulled in; named here since
# the Perl service uses it itself).
# Round 39 adds no program: its proxies are round 1's nginx (nginx-light
# has the proxy module and its TLS to upstreams) and round 11's apache2
# (mod_proxy and mod_proxy_http ship in the package), its backends
# openssl s_server and nginx.
# Round 40 adds two HTTP/2 TLS terminators, h2o 2.2 and nghttpx 1.52
# (nghttp2-proxy), and two HTTP clients, nghttp (nghttp2-client) and
# wget2; h2o's and nghttpx's packages enable system services, which the
# recorder never uses: both run in the foreground from private
# directories at the bench's port.
# Round 41 adds two IMAP clients, fetchmail and mbsync (isync), both
# OpenSSL; each run has its own run control or configuration file and
# HOME in a private directory (never /etc/fetchmailrc or ~/.mbsyncrc).
# Round 42 adds BIND 9.18 (named, OpenSSL) and Knot Resolver 5.6 (kresd,
# GnuTLS), DNS-over-TLS servers; their packages enable system services,
# which the recorder never uses: its named and kresd run in the
# foreground from private configurations at the bench's port.
# Round 43 adds InspIRCd 3.15 (inspircd, its ssl_gnutls module; Debian's
# package has no ssl_openssl); its package enables a system service on
# port 6667, which the recorder never uses: its own instances run in the
# foreground from private configurations on 127.0.0.1 at free ports.
# Round 44 adds ejabberd 23.01 (XMPP; fast_tls, OpenSSL); its package
# enables a system service, which the recorder never uses: it runs erl
# -s ejabberd in the foreground from a private configuration, Mnesia
# directory and log at the bench's port, without Erlang distribution.
# Round 45 adds coturn 4.6 (turnserver, TURN over TLS; OpenSSL through
# libevent) and its test client turnutils_uclient; its package may set
# up a system service, which the recorder never uses: it runs
# turnserver -c FILE in the foreground from a private configuration.
# Round 46 adds NSD 4.6 (DNS over TLS, OpenSSL); its package sets up a
# system service, which the recorder never uses: its nsd runs in the
# foreground (nsd -d) from a private configuration at the bench's port.
# Round 47 adds ProFTPD 1.3.8 (FTP over TLS; mod_tls, in
# proftpd-mod-crypto, over OpenSSL). Its package and vsftpd's conflict
# (each provides ftp-server: installing proftpd-core removes vsftpd,
# which round 16 runs), so deps does not install it: as for Exim, it
# extracts proftpd-core and proftpd-mod-crypto (apt-get download,
# dpkg-deb -x) into PROFTPD_ROOT and installs the libraries proftpd
# links that a Debian system may lack (libmemcached11,
# libmemcachedutil2, libpcre2-posix3, libhiredis0.14). The recorder runs
# proftpd --nodaemon -c FILE in the foreground from a private
# configuration at the bench's port (ModulePath PROFTPD_ROOT's); no
# system FTP service is started or replaced.
# Round 48 adds Squid 5.7 as a TLS-terminating reverse proxy
# (squid-openssl: Debian's squid is built with GnuTLS, and the two
# conflict); its package sets up a system service, which the recorder
# never uses: squid -N runs in the foreground from a private
# configuration at the bench's port.
# Round 49 adds OpenSMTPD 6.8 (Debian's opensmtpd 6.8.0p2, OpenSSL 3).
# Its package and postfix's conflict (each is the system's mail
# transport agent: installing it removes postfix, which rounds 13 and
# 35 run), so deps does not install it: as for Exim, it extracts the
# package (apt-get download, dpkg-deb -x) into OPENSMTPD_ROOT, installs
# the library smtpd links that a Debian system may lack (libevent-2.1-7;
# the others, libdb5.3 among them, are there: checked with ldd), and
# creates what its postinst would: the
# opensmtpd and opensmtpq users and groups it drops to, and its chroot
# directory /var/lib/opensmtpd/empty. The recorder runs smtpd -d -f
# FILE in the foreground from a private configuration at the bench's
# port, in a mount namespace where a private directory stands for its
# compiled-in spool and control socket; no system MTA is started or
# replaced.
# Round 50 adds ZNC 1.8 (an IRC bouncer; its users' TLS listener,
# OpenSSL); its package ships a znc.service it does not enable, which
# the recorder never uses: znc --foreground --debug --datadir DIR runs
# as the package's _znc user from a private data directory at the
# bench's port.
# Round 51 adds no package: QEMU's TLS chardev is qemu-system-x86's
# qemu-system-x86_64 (TEST_PACKAGES, round 9's), on both ends (its
# client's microvm machine boots nothing: -S).
# Round 52 adds pgpool-II 4.3 (Debian's pgpool2; OpenSSL; apt-get
# install -s pgpool2 removes nothing: it adds libpgpool2); its package
# sets up a pgpool2.service, which the recorder never uses: pgpool -n
# runs as the postgres user from a private configuration at the
# bench's port, in front of a private PostgreSQL.
# Round 53 adds chrony 4.3 (Debian's chrony 4.3-2+deb12u3, GnuTLS): its
# NTS-KE server, and chronyd as an NTS client. Installing it removes
# systemd-timesyncd (apt-get install -s chrony says so: each is the
# system's NTP client), so deps does not install it: as for Exim, it
# extracts the package (apt-get download, dpkg-deb -x) into CHRONY_ROOT;
# the libraries chronyd links (libedit2, libseccomp2, libcap2, GnuTLS and
# nettle) are installed by name, not left to other packages' dependencies.
# The recorder runs chronyd -d -x (never touching the clock) from a
# private configuration at the bench's port, and chronyd -Q as the
# client; no system time service is started or replaced.
# Round 54 adds memcached 1.6 (Debian's memcached 1.6.18, built with
# OpenSSL; apt-get install -s memcached removes nothing) and, for its
# client stack, python3-pymemcache (3.5, TLS through tls_context); its
# package sets up a memcached.service, which the recorder never uses:
# memcached -u memcache -Z runs in the foreground from a private
# directory at the bench's port. libmemcached-tools' memcstat is not
# installed: it has no TLS.
# Round 55 adds Murmur 1.3.4, Mumble's server (Debian's mumble-server;
# Qt 5 over OpenSSL; apt-get install -s --no-install-recommends
# mumble-server removes nothing: it adds Qt 5's core, network, sql and
# xml libraries, libprotobuf32, libzeroc-ice3.7 and
# libavahi-compat-libdnssd1); its package sets up a
# mumble-server.service, which the recorder never uses: murmurd -fg
# -ini FILE runs as the package's mumble-server user from a private
# ini file and database at the bench's port.
# Round 56 adds CUPS 2.4's scheduler and its clients (Debian's
# cups-daemon, cups-client and cups-ipp-utils 2.4.2; GnuTLS; apt-get
# install -s --no-install-recommends cups-daemon cups-client
# cups-ipp-utils removes nothing: it adds cups-common, libpaper1 and
# upgrades libcups2); its package sets up a cups.service (and
# cups.socket, cups.path), which the recorder never uses: cupsd -f runs
# from a private cupsd.conf and cups-files.conf at the bench's port.
# Round 57 adds Pure-FTPd 1.0.50 (Debian's pure-ftpd 1.0.50-2.1+b2,
# OpenSSL 3). Its package and vsftpd's conflict (each provides
# ftp-server: apt-get install -s pure-ftpd removes vsftpd, which round
# 16 runs), so deps does not install it: as for ProFTPD, it extracts
# pure-ftpd into PUREFTPD_ROOT and installs the library pure-ftpd links
# that a Debian system may lack (libsodium23; libssl3, libcap2, libcrypt1
# and libpam0g are there: checked with ldd). The recorder runs pure-ftpd
# in the foreground with command-line options only at the bench's port,
# in a mount namespace where private directories stand for the ftp
# user's home (the anonymous area), /run and /dev/log; no system FTP
# service is started or replaced.
# Round 58 adds syslog-ng 3.38 (Debian's syslog-ng-core 3.38.1-5+deb12u1,
# OpenSSL): its TLS network() source, and a second syslog-ng as a
# forwarding client. Installing it removes rsyslog, rsyslog-gnutls and
# rsyslog-openssl (apt-get install -s syslog-ng-core says so: each is the
# system's syslog daemon), which round 34 needs, so deps does not install
# it: as for chrony, it extracts the package into SYSLOGNG_ROOT; the
# libraries its binary, libsyslog-ng and its modules link (libivykis0,
# libnet1, libpcre3, libjson-c5, libglib2.0-0, libwrap0, libsystemd0,
# libcap2, libssl3: ldd on each) are installed by name. The recorder runs
# syslog-ng -F -e with LD_LIBRARY_PATH and --module-path pointing into
# the extracted tree, from a private configuration at the bench's port;
# no system syslog service is started or replaced.
# Round 59 adds no package: QEMU's VNC server with tls-creds is
# qemu-system-x86's qemu-system-x86_64 (TEST_PACKAGES, round 9's), its
# client a Python script over python3's ssl (already listed).
# Round 63 adds gunicorn 20.1 (Debian's gunicorn 20.1.0-6+deb12u1 and
# python3-gunicorn, Python 3.11's ssl over OpenSSL; apt-get install -s
# --no-install-recommends gunicorn removes nothing: 2 Inst lines). It
# has no service: gunicorn runs in the foreground from a private
# directory with a tiny WSGI application at the bench's port.
# Round 65 adds uWSGI 2.0 (Debian's uwsgi-core 2.0.21-5.1: its http
# plugin's HTTPS router over OpenSSL; apt-get install -s
# --no-install-recommends uwsgi-core removes nothing: 4 Inst lines,
# uwsgi-core, libzmq5, libpgm-5.3-0, libnorm1). It runs in the
# foreground from a private directory, no language plugin (its
# router_static plugin answers with a file), no service.
# Round 68 adds Twisted 22.4 (Debian's python3-twisted 22.4.0-4+deb12u1,
# TLS through pyOpenSSL, python3-openssl, over OpenSSL; apt-get install
# -s --no-install-recommends python3-twisted removes nothing: 10 Inst
# lines, python3-twisted and its Python modules). Its twist3 web runs
# in the foreground from a private directory, no service.
# Round 69 adds Ruby's WEBrick 1.8.1 (Debian's ruby-webrick 1.8.1-1;
# TLS through ruby's openssl extension over OpenSSL; apt-get install -s
# ruby-webrick removes nothing). A Ruby program the recorder writes runs
# it with /usr/bin/ruby in the foreground from a private directory.
# Round 70 adds uvicorn 0.17 (Debian's python3-uvicorn 0.17.6-1, Python
# 3.11's ssl driven by asyncio over OpenSSL; apt-get install -s
# --no-install-recommends python3-uvicorn removes nothing: 6 Inst lines,
# python3-uvicorn, asgiref, click, colorama, h11, wsproto). The package
# has no command: /usr/bin/python3 -m uvicorn runs in the foreground
# from a private directory with a tiny ASGI application, no service.
# Round 71 adds ocserv 1.1, the OpenConnect VPN server, and its client
# openconnect (Debian's ocserv 1.1.6-3 and openconnect 9.01-3, both
# GnuTLS 3.7; apt-get install -s --no-install-recommends ocserv
# openconnect removes nothing: 22 new packages, 8 upgraded (systemd's
# libraries, which udev, pulled in through tpm-udev, wants at its own
# version)). Its package sets up an ocserv service, which the recorder
# never uses (it did not start: "policy-rc.d denied execution of
# start"; disabled): ocserv -f -d 1 runs in the foreground from a
# private ocserv.conf at the bench's port, as the package's ocserv
# user.
# Round 72 adds Mongrel2 1.12 (Debian's mongrel2-core 1.12.2-3+b1, linked
# to mbedTLS 2.28: libmbedtls14, libmbedx509-1, libmbedcrypto7, and to
# libzmq5; apt-get install -s --no-install-recommends mongrel2-core
# removes nothing: 1 Inst line). m2sh, which loads a configuration into
# the sqlite database mongrel2 reads, is in mongrel2-core too; the
# package mongrel2-run (a runit service and a demo site) is not needed:
# mongrel2 runs in the foreground ("server.daemonize": 0) from a
# private directory it chroots to.
# Round 73 adds Puma 5.6 (Debian's puma 5.6.5-3+deb12u2 on ruby 3.1.2,
# TLS through its own MiniSSL C extension over OpenSSL 3; apt-get
# install -s --no-install-recommends puma removes nothing: 2 Inst
# lines, puma and ruby-nio4r). The package has no service: puma -b
# 'ssl://...' config.ru runs in the foreground from a private
# directory with a tiny Rack application (no rack gem needed: Puma's
# own builder runs it).
# Round 74 adds Tornado 6.2 (Debian's python3-tornado 6.2.0-3+deb12u4,
# Python 3.11's ssl under Tornado's SSLIOStream over OpenSSL; apt-get
# install -s --no-install-recommends python3-tornado removes nothing: 1
# Inst line). The package has no command: a Python program the recorder
# writes (apps/tornado_server.py) runs it with /usr/bin/python3 in the
# foreground from a private directory, no service.
# Round 75 adds Apache Traffic Server 9.2 (Debian's trafficserver
# 9.2.5+ds-0+deb12u4, OpenSSL 3; its traffic_server --version says
# 9.2.9; apt-get install -s --no-install-recommends trafficserver
# removes nothing: 3 Inst lines, libhwloc15 and libyaml-cpp0.7 besides
# it). Its package sets up a trafficserver service, which the recorder
# never uses (it did not start: policy-rc.d): traffic_server runs alone
# in the foreground (no traffic_manager) with a runroot.yaml of a
# private directory (--run-root), its configuration, logs and runtime
# files there, never /etc/trafficserver, as the package's trafficserver
# user.
# Round 76 adds WeeChat 3.8's relay (Debian's weechat-headless 3.8-1 and
# weechat-core with it; the relay plugin is in weechat-plugins 3.8-1, not
# in weechat-core: measured, without it the relay port never listens.
# GnuTLS 3.7: libgnutls30. apt-get install -s --no-install-recommends
# weechat-headless removes nothing: 2 Inst lines; weechat-plugins: 2,
# libaspell15 besides it). weechat-headless runs in the foreground from
# a private home directory (--dir), as root, never a user's ~/.weechat.
# Round 77 adds Monit 5.33, the system monitor (Debian's monit
# 1:5.33.0-1, OpenSSL 3; apt-get install -s --no-install-recommends
# monit removes nothing: 1 Inst line). Its package sets up a monit
# service, which the recorder never uses (it did not start here:
# policy-rc.d): monit -I runs in the foreground from a private monitrc
# (its idfile, statefile, pidfile, logfile and pemfile in a private
# directory), its HTTP interface over TLS at the bench's port; never
# /etc/monit.
# Round 78 adds system tools as TLS clients against nginx: apt-get
# (apt 2.6.1, already installed; its https method over GnuTLS 3.7),
# Subversion's svn (Debian's subversion 1.14.2-4+deb12u1, serf 1.3.9 over
# OpenSSL 3), ffmpeg (Debian's ffmpeg 7:5.1.9-0+deb12u1, its tls protocol
# over GnuTLS), ab (apache2-utils 2.4, OpenSSL 3) and Links 2 (Debian's
# links2 2.28-1+b2, OpenSSL 3). apt-get install -s --no-install-recommends
# removes nothing: subversion 4 Inst lines, ffmpeg 80, links2 3. Each
# runs from the scenario's directory (apt-get from a private Dir tree
# named by APT_CONFIG, svn with a private --config-dir, links2 with a
# private HOME), never reading or writing the system's configuration.
# Round 79 adds language package managers as clients of nginx as a
# private registry: pip (Debian's python3-pip 23.0.1), RubyGems' gem
# (ruby-rubygems 3.3.15), npm (shipped in the nodejs package) and the go
# command (the toolchain itself, no package). apt-get install -s
# --no-install-recommends python3-pip ruby-rubygems removes nothing
# (0 Inst lines here: both were installed). Each runs from a private
# HOME with its own environment; none touches the system's settings.
# Round 80 adds mini_httpd 1.30, the small forking web server (Debian's
# mini-httpd 1.30-3, OpenSSL 3; apt-get install -s
# --no-install-recommends mini-httpd removes nothing: 1 Inst line). Its
# package sets up a mini-httpd service, which the recorder never uses
# (it did not start here: policy-rc.d): mini_httpd -D runs in the
# foreground from a private directory (its PEM file, logfile and the
# directory it serves), HTTPS at the bench's port; never
# /etc/mini-httpd.conf.
# Round 82 adds language runtimes' own TLS clients as clients of nginx:
# pandoc (Debian's pandoc 2.17, Haskell's tls), LuaSec (lua-sec 1.2
# with lua5.4), Tcl's tls (tcl-tls 1.7 with tcl 8.6) and
# Guile's (web client) (guile-3.0 3.0.8 with guile-gnutls 3.7.9).
# apt-get install -s --no-install-recommends pandoc tcl-tls guile-3.0
# guile-gnutls removes nothing (6 Inst lines: pandoc-data, pandoc,
# tcl-tls, guile-3.0-libs, guile-3.0, guile-gnutls; lua-sec, lua5.4 and
# tcl were installed). Each runs from a private HOME with its own
# environment; none touches the system's settings.
# Round 81 adds Yaws 2.1, the Erlang web server (Debian's yaws and
# erlang-yaws 2.1.1+dfsg-2 on Erlang/OTP 25.2.3, its TLS Erlang's own
# ssl application; apt-get install -s --no-install-recommends yaws
# removes nothing: 2 Inst lines, erlang-yaws and yaws, Erlang already
# installed for ejabberd). Its package sets up a yaws service, which the
# recorder never uses (it did not start: policy-rc.d): yaws --conf
# --erlarg -noinput runs in the foreground from a private yaws.conf at
# the bench's port, HOME and logdir in that directory.
# Round 61 adds SpamAssassin 4.0's spamd and its client spamc (Debian's
# spamd and spamc 4.0.1-1~deb12u1; spamd over Perl's IO::Socket::SSL and
# OpenSSL, spamc built with OpenSSL; apt-get install -s
# --no-install-recommends spamd spamc removes nothing: 27 Inst lines,
# spamassassin and Perl modules). Its package sets up a spamd.service,
# which the recorder never uses: spamd --ssl runs in the foreground from
# a private directory with a tiny configuration (-C, --siteconfigpath)
# at the bench's port; sa-update is never run.
# Round 64 adds Icecast 2.4.4, the streaming server (Debian's icecast2
# 2.4.4-4+b1, OpenSSL 3; apt-get install -s --no-install-recommends
# icecast2 removes nothing: 5 Inst lines, libogg0, libspeex1,
# libtheora0, libvorbis0a). Its package sets up an icecast2 service,
# which the recorder never uses: icecast2 -c runs in the foreground from
# a private icecast.xml at the bench's port, changing to the package's
# icecast2 user.
# Round 66 adds Kamailio 5.6 (Debian's kamailio and kamailio-tls-modules
# 5.6.3-2, OpenSSL 3) and sipsak 0.9.8.1 (GnuTLS) as its client
# (apt-get install -s --no-install-recommends kamailio
# kamailio-tls-modules sipsak removes nothing: 3 Inst lines). Its
# package sets up a kamailio.service, which the recorder never uses
# (it did not start: policy-rc.d): kamailio -DD -E runs in the
# foreground from a private kamailio.cfg and tls.cfg at the bench's
# port, as the package's kamailio user.
# Round 60 adds NTPsec 1.2.2 (Debian's ntpsec 1.2.2+dfsg1-1+deb12u1,
# OpenSSL): its NTS-KE server. Installing it removes systemd-timesyncd
# (apt-get install -s ntpsec says so), so deps does not install it: as
# for chrony, it extracts the package into NTPSEC_ROOT; the libraries
# ntpd links (libssl3, libcap2, libbsd0 and its libmd0: ldd) are
# installed by name. The recorder runs ntpd -n (in the foreground,
# disable kernel and disable ntp, under setpriv without CAP_SYS_TIME:
# never touching the clock) from a private configuration; its NTS-KE
# port is the compiled-in 4460. No system time service is started or
# replaced.
# Round 62 adds Mozilla NSS's own test programs (Debian's libnss3-tools
# 3.87.1-1+deb12u4): selfserv as a server, tstclnt as a client, certutil
# and pk12util to make their NSS databases (apt-get install -s
# libnss3-tools removes nothing). selfserv runs in the foreground from a
# private directory and database at the bench's port.
# Round 67 adds NRPE 4.1, the Nagios remote plugin executor (Debian's
# nagios-nrpe-server and nagios-nrpe-plugin 4.1.0-1+b1, OpenSSL 3;
# apt-get install -s --no-install-recommends nagios-nrpe-server
# nagios-nrpe-plugin removes nothing: 2 Inst lines). Its package sets up
# a nagios-nrpe-server service, which the recorder never uses (it did
# not start: "policy-rc.d denied execution of start"): nrpe -c -f runs
# in the foreground from a private nrpe.cfg at the bench's port, as the
# package's nagios user; check_nrpe is in /usr/lib/nagios/plugins.
# lighttpd's TLS module is no command: deps looks for the file.
RECORDER_PACKAGES := nginx-light socat python3 openjdk-17-jdk-headless nodejs wget python3-requests git postgresql stunnel4 apache2 slapd ldap-utils lighttpd lighttpd-mod-openssl redis-server redis-tools postfix dovecot-imapd swaks libnet-ssleay-perl mariadb-server mariadb-client mosquitto mosquitto-clients python3-pymysql nbd-server libnbd-bin vsftpd lftp haproxy prosody python3-slixmpp caddy tomcat10 ngircd rabbitmq-server amqp-tools python3-pika botan ruby php-cli lynx aria2 libgnutls-dane0 libidn12 libnsl2 libdb5.3 unbound knot-dnsutils bind9-dnsutils etcd-server etcd-client hitch libwww-perl liblwp-protocol-https-perl ncat w3m pgbouncer lighttpd-mod-gnutls lighttpd-mod-mbedtls lighttpd-mod-wolfssl lighttpd-mod-nss prometheus prometheus-node-exporter rsyslog rsyslog-gnutls rsyslog-openssl msmtp s-nail fetchmail isync zabbix-agent dnsdist bind9 knot-resolver libio-socket-ssl-perl h2o nghttp2-proxy nghttp2-client wget2 inspircd ejabberd coturn nsd libmemcached11 libmemcachedutil2 libpcre2-posix3 libhiredis0.14 squid-openssl libevent-2.1-7 znc pgpool2 libedit2 libseccomp2 libcap2 memcached python3-pymemcache mumble-server cups-daemon cups-client cups-ipp-utils libsodium23 libivykis0 libnet1 libpcre3 libjson-c5 libglib2.0-0 libwrap0 libsystemd0 libssl3 spamd spamc libbsd0 libmd0 gunicorn icecast2 libnss3-tools uwsgi-core kamailio kamailio-tls-modules sipsak nagios-nrpe-server nagios-nrpe-plugin python3-twisted ocserv openconnect python3-uvicorn mongrel2-core ruby-webrick trafficserver python3-tornado puma weechat-headless weechat-plugins monit mini-httpd subversion ffmpeg apache2-utils links2 python3-pip ruby-rubygems pandoc lua-sec lua5.4 tcl tcl-tls guile-3.0 guile-gnutls yaws
RECORDER_TOOLS := nginx socat python3 java javac node wget git psql stunnel apache2 slapd ldapsearch lighttpd redis-server redis-cli postfix dovecot swaks mariadbd mariadb-install-db mariadb mosquitto mosquitto_pub nbd-server nbdinfo vsftpd lftp haproxy prosody caddy ngircd rabbitmq-server epmd amqp-publish botan ruby php lynx aria2c unbound kdig dig etcd etcdctl hitch perl ncat w3m pgbouncer prometheus prometheus-node-exporter rsyslogd msmtp s-nail fetchmail mbsync zabbix_agentd zabbix_sender dnsdist named kresd h2o nghttpx nghttp wget2 inspircd ejabberdctl erl turnserver turnutils_uclient nsd squid znc pgpool memcached murmurd cupsd ipptool lpstat spamd spamc gunicorn icecast2 selfserv tstclnt certutil pk12util uwsgi kamailio sipsak nrpe twist3 ocserv ocpasswd openconnect mongrel2 m2sh traffic_server puma weechat-headless monit mini_httpd apt-get svn ffmpeg ab links2 pip3 gem npm pandoc lua5.4 tclsh guile yaws
# lighttpd's TLS modules are no commands: deps looks for the files.
LIGHTTPD_MODULES := openssl gnutls mbedtls wolfssl nss
TOMCAT_CATALINA := /usr/share/tomcat10/bin/catalina.sh
# check_nrpe is in Nagios' plugin directory, not on PATH.
CHECK_NRPE := /usr/lib/nagios/plugins/check_nrpe
EXIM_ROOT := /opt/tlscreds/exim4
PROFTPD_ROOT := /opt/tlscreds/proftpd
OPENSMTPD_ROOT := /opt/tlscreds/opensmtpd
CHRONY_ROOT := /opt/tlscreds/chrony
PUREFTPD_ROOT := /opt/tlscreds/pure-ftpd
SYSLOGNG_ROOT := /opt/tlscreds/syslog-ng
NTPSEC_ROOT := /opt/tlscreds/ntpsec
# EXTRACT_DEBS ROOT PACKAGE... unpacks packages that would replace one the
# tests need (Exim, OpenSMTPD, ProFTPD, chrony, Pure-FTPd, syslog-ng,
# NTPsec)
# without installing them.
EXTRACT_DEBS := sh $(CURDIR)/fixtures/recorder/extract-debs.sh
TEST_PACKAGES += $(RECORDER_PACKAGES)
TEST_TOOLS += $(RECORDER_TOOLS)

# staticcheck joins go vet and gofmt in `make vet`; `make deps` installs
# this version through the Go module proxy (2026.2.2 supports Go 1.26).
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(shell $(GO) env GOPATH)/bin/staticcheck

.PHONY: all build build-cgo test deps vet unit benchonce bench bench-prepare bench-docs fmt man record record-probe record-times fuzz

all: build

# build makes the release binary: CGO_ENABLED=0 starts in about 0.8x the
# time of a cgo build (no dynamic loader, no libc) and runs anywhere. The
# tests keep cgo (go test -race needs it). Pure-Go os/user reads
# /etc/passwd and /etc/group only, not NSS (LDAP, sssd): `make build-cgo`
# makes a binary whose `--as-user` also finds NSS-only users.
#
# Every build, test, vet and run here leaves urfave/cli's docs code out
# (the urfave_cli_no_docs tag: ToMan, ToMarkdown, go-md2man and
# blackfriday, whose package init every process would pay); `tlscreds
# man` writes its page itself (cmd/tlscreds/man.go). A build without the
# tag works the same, only starts slower. TestReleaseBuild checks it.
GOTAGS := urfave_cli_no_docs
BIN ?= bin/tlscreds
BUILDFLAGS := -trimpath -tags $(GOTAGS)

build:
	CGO_ENABLED=0 $(GO) build $(BUILDFLAGS) -o $(BIN) ./cmd/tlscreds

build-cgo:
	CGO_ENABLED=1 $(GO) build $(BUILDFLAGS) -o $(BIN) ./cmd/tlscreds

# man writes the man page generated from the command definitions
# (`man -l bin/tlscreds.1` reads it); MAN=FILE writes it elsewhere.
MAN ?= bin/tlscreds.1
man:
	@mkdir -p $(dir $(MAN))
	$(GO) run -tags $(GOTAGS) ./cmd/tlscreds man > $(MAN)

# deps installs the test peers when any is missing (needs root, as CI is).
deps:
	@missing=""; for t in $(TEST_TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	{ python3 -c 'import requests' 2>/dev/null || /usr/bin/python3 -c 'import requests' 2>/dev/null; } || missing="$$missing python-requests"; \
	{ python3 -c 'import pymysql' 2>/dev/null || /usr/bin/python3 -c 'import pymysql' 2>/dev/null; } || missing="$$missing python-pymysql"; \
	/usr/bin/python3 -c 'import slixmpp' 2>/dev/null || missing="$$missing python-slixmpp"; \
	/usr/bin/python3 -c 'import pika' 2>/dev/null || missing="$$missing python-pika"; \
	/usr/bin/python3 -c 'import pymemcache' 2>/dev/null || missing="$$missing python-pymemcache"; \
	/usr/bin/python3 -c 'import uvicorn' 2>/dev/null || missing="$$missing python-uvicorn"; \
	/usr/bin/python3 -c 'import tornado' 2>/dev/null || missing="$$missing python-tornado"; \
	ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$$missing postgres"; \
	for m in $(LIGHTTPD_MODULES); do test -e /usr/lib/lighttpd/mod_$$m.so || missing="$$missing lighttpd-mod-$$m"; done; \
	test -e $(TOMCAT_CATALINA) || missing="$$missing tomcat10"; \
	test -x $(CHECK_NRPE) || missing="$$missing nagios-nrpe-plugin"; \
	perl -MNet::SSLeay -e 1 2>/dev/null || missing="$$missing libnet-ssleay-perl"; \
	test -x $(EXIM_ROOT)/usr/sbin/exim4 || missing="$$missing exim4"; \
	test -e $(PROFTPD_ROOT)/usr/lib/proftpd/mod_tls.so || missing="$$missing proftpd"; \
	test -x $(OPENSMTPD_ROOT)/usr/sbin/smtpd || missing="$$missing opensmtpd"; \
	test -x $(CHRONY_ROOT)/usr/sbin/chronyd || missing="$$missing chrony"; \
	test -x $(PUREFTPD_ROOT)/usr/sbin/pure-ftpd || missing="$$missing pure-ftpd"; \
	test -x $(SYSLOGNG_ROOT)/usr/sbin/syslog-ng || missing="$$missing syslog-ng"; \
	test -x $(NTPSEC_ROOT)/usr/sbin/ntpd || missing="$$missing ntpsec"; \
	{ id opensmtpd && id opensmtpq && test -d /var/lib/opensmtpd/empty; } >/dev/null 2>&1 || missing="$$missing opensmtpd-users"; \
	if [ -n "$$missing" ]; then \
		echo "installing test peers (missing:$$missing)"; \
		if [ "$$(id -u)" != 0 ]; then echo "error: run as root or install: apt-get install -y $(TEST_PACKAGES)" >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEST_PACKAGES) >/dev/null || exit 1; \
		missing=""; for t in $(TEST_TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
		ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$$missing postgres"; \
		for m in $(LIGHTTPD_MODULES); do test -e /usr/lib/lighttpd/mod_$$m.so || missing="$$missing lighttpd-mod-$$m"; done; \
		test -e $(TOMCAT_CATALINA) || missing="$$missing tomcat10"; \
		test -x $(CHECK_NRPE) || missing="$$missing nagios-nrpe-plugin"; \
		perl -MNet::SSLeay -e 1 2>/dev/null || missing="$$missing libnet-ssleay-perl"; \
		/usr/bin/python3 -c 'import slixmpp' 2>/dev/null || missing="$$missing python-slixmpp"; \
		/usr/bin/python3 -c 'import pika' 2>/dev/null || missing="$$missing python-pika"; \
		/usr/bin/python3 -c 'import pymemcache' 2>/dev/null || missing="$$missing python-pymemcache"; \
		/usr/bin/python3 -c 'import uvicorn' 2>/dev/null || missing="$$missing python-uvicorn"; \
		/usr/bin/python3 -c 'import tornado' 2>/dev/null || missing="$$missing python-tornado"; \
		test -x $(EXIM_ROOT)/usr/sbin/exim4 || $(EXTRACT_DEBS) $(EXIM_ROOT) exim4-daemon-light || exit 1; \
		test -e $(PROFTPD_ROOT)/usr/lib/proftpd/mod_tls.so || $(EXTRACT_DEBS) $(PROFTPD_ROOT) proftpd-core proftpd-mod-crypto || exit 1; \
		test -x $(OPENSMTPD_ROOT)/usr/sbin/smtpd || $(EXTRACT_DEBS) $(OPENSMTPD_ROOT) opensmtpd || exit 1; \
		test -x $(CHRONY_ROOT)/usr/sbin/chronyd || $(EXTRACT_DEBS) $(CHRONY_ROOT) chrony || exit 1; \
		test -x $(PUREFTPD_ROOT)/usr/sbin/pure-ftpd || $(EXTRACT_DEBS) $(PUREFTPD_ROOT) pure-ftpd || exit 1; \
		test -x $(SYSLOGNG_ROOT)/usr/sbin/syslog-ng || $(EXTRACT_DEBS) $(SYSLOGNG_ROOT) syslog-ng-core || exit 1; \
		test -x $(NTPSEC_ROOT)/usr/sbin/ntpd || $(EXTRACT_DEBS) $(NTPSEC_ROOT) ntpsec || exit 1; \
		for g in opensmtpd opensmtpq; do id -g $$g >/dev/null 2>&1 || addgroup --system $$g >/dev/null || exit 1; done; \
		for u in opensmtpd opensmtpq; do id $$u >/dev/null 2>&1 || adduser --system --home /var/lib/opensmtpd/empty --no-create-home --disabled-password --ingroup $$u $$u >/dev/null 2>&1 || exit 1; done; \
		mkdir -p /var/lib/opensmtpd/empty && chmod 755 /var/lib/opensmtpd /var/lib/opensmtpd/empty || exit 1; \
		id Debian-exim >/dev/null 2>&1 || adduser --system --group --no-create-home --home /var/spool/exim4 --allow-bad-names Debian-exim >/dev/null || exit 1; \
		test -x $(EXIM_ROOT)/usr/sbin/exim4 || missing="$$missing exim4"; \
		test -e $(PROFTPD_ROOT)/usr/lib/proftpd/mod_tls.so || missing="$$missing proftpd"; \
		test -x $(OPENSMTPD_ROOT)/usr/sbin/smtpd || missing="$$missing opensmtpd"; \
		test -x $(CHRONY_ROOT)/usr/sbin/chronyd || missing="$$missing chrony"; \
		test -x $(PUREFTPD_ROOT)/usr/sbin/pure-ftpd || missing="$$missing pure-ftpd"; \
		test -x $(SYSLOGNG_ROOT)/usr/sbin/syslog-ng || missing="$$missing syslog-ng"; \
		test -x $(NTPSEC_ROOT)/usr/sbin/ntpd || missing="$$missing ntpsec"; \
		if [ -n "$$missing" ]; then echo "error: still missing after apt-get install:$$missing" >&2; exit 1; fi; \
	fi
	@if ! $(STATICCHECK) -version 2>/dev/null | grep -q '($(STATICCHECK_VERSION:v%=%))'; then \
		echo "installing staticcheck $(STATICCHECK_VERSION)"; \
		$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) || exit 1; \
	fi

vet:
	$(GO) vet -tags $(GOTAGS) ./...
	@test -x $(STATICCHECK) || { echo "staticcheck missing: run make deps (go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION))" >&2; exit 1; }
	$(STATICCHECK) -tags $(GOTAGS) ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# The QEMU differential (lint/qemudiff) runs about a thousand real
# qemu-img loads on a cold verdict cache: about 80 s of CPU, far longer on
# a shared machine, so the per-package timeout is raised from go test's 10m.
# Test runs go through cmd/tlscreds-testsummary: a line per package, the
# output of each failed test, and "N passed, N failed, N skipped" naming
# the failures; `make test` ends with that line over both runs.
SUMMARY := bin/tlscreds-testsummary
STATE := bin/.test-summary

$(SUMMARY): cmd/tlscreds-testsummary/main.go
	@mkdir -p bin
	$(GO) build -o $@ ./cmd/tlscreds-testsummary

unit: $(SUMMARY)
	$(GO) test -tags $(GOTAGS) -race -count=1 -timeout 30m -json ./... 2>&1 | $(SUMMARY) -name race

# benchonce runs every benchmark for one iteration: it checks they work,
# it measures nothing.
benchonce: $(SUMMARY)
	$(GO) test -tags $(GOTAGS) -run '^$$' -bench . -benchtime 1x -json ./... 2>&1 | $(SUMMARY) -name bench

# make test runs lint/diagnose's whole live replay (real servers and real
# clients: about 12 minutes on 2 idle cores), its regrade of every
# recorded output and the check that explain's literal prefilter changes
# nothing without the race detector, from a test binary built first and
# started in the background, beside vet and the race run. Under -race the
# three took 500 s of CPU of make test's 2,080 (2026-12-08, 2 cores), the
# regrade 60 s and the prefilter check 135 s of wall against 5 s and 9 s
# without. The race run skips the two computations and replays a sample
# of the live scenarios (the harness's concurrency under the detector).
LIVE_TESTS := ^(TestRecordedClientsReproduce|TestExplainOnRecordings|TestExplainFilterChangesNothing)$$
RACE_SKIP := ^(TestExplainOnRecordings|TestExplainFilterChangesNothing)$$
LIVE_BIN := bin/diagnose-live.test
LIVE_JSON := bin/.live.json

test: deps $(SUMMARY)
	@rm -f $(STATE) $(LIVE_JSON); status=0; \
	echo "go test -c -tags $(GOTAGS) -o $(LIVE_BIN) ./lint/diagnose (without -race: the live replay and the regrade, in the background)"; \
	$(GO) test -c -tags $(GOTAGS) -o $(LIVE_BIN) ./lint/diagnose || exit 1; \
	( cd lint/diagnose && exec setsid $(GO) tool test2json -t -p github.com/tlscreds/tlscreds/lint/diagnose ../../$(LIVE_BIN) -test.v=test2json -test.count=1 -test.timeout=30m -test.run '$(LIVE_TESTS)' ) > $(LIVE_JSON) 2>&1 & live=$$!; \
	trap 'kill -TERM -- -$$live 2>/dev/null' EXIT; \
	$(MAKE) --no-print-directory vet || exit 1; \
	echo "go test -tags $(GOTAGS) -race -count=1 -skip '$(RACE_SKIP)' ./..."; \
	$(GO) test -tags $(GOTAGS) -race -count=1 -timeout 30m -skip '$(RACE_SKIP)' -json ./... 2>&1 | $(SUMMARY) -name race -state $(STATE) || status=1; \
	echo "go test -tags $(GOTAGS) -run '^$$' -bench . -benchtime 1x ./... (every benchmark once)"; \
	$(GO) test -tags $(GOTAGS) -run '^$$' -bench . -benchtime 1x -json ./... 2>&1 | $(SUMMARY) -name bench -state $(STATE) || status=1; \
	echo "waiting for lint/diagnose's $(LIVE_TESTS) (without -race)"; \
	wait $$live; trap - EXIT; \
	$(SUMMARY) -name live -state $(STATE) < $(LIVE_JSON) || status=1; \
	$(SUMMARY) -total -state $(STATE) || status=1; \
	exit $$status

# bench runs the Go benchmarks, then the harness that compares lint with
# its floor, openssl and qemu-img and rewrites docs/performance.md
# (BENCH_ARGS="-n 1000" for a quicker run; see docs/performance.md).
bench:
	$(GO) test -tags $(GOTAGS) -run '^$$' -bench . -benchmem ./...
	$(GO) run ./cmd/tlscreds-bench $(BENCH_ARGS)

# bench-docs is the part of bench that rewrites docs/performance.md's
# generated block, sized to take about 10 minutes on 2 idle cores
# (bench-prepare generates its trees beforehand: about 5 minutes).
BENCH_DOCS_ARGS := -n 1000 -rss-n 0 -rounds 2 -scale 1000,10000,50000 -scale-rounds 2 -wide 200000 -manifest 1000,10000 -pair 1000x100/10 -startup 30 -fleet 10000 -gobench-time 0.3s
bench-prepare:
	$(GO) run ./cmd/tlscreds-bench $(BENCH_DOCS_ARGS) -prepare -out ""

bench-docs:
	$(GO) run ./cmd/tlscreds-bench $(BENCH_DOCS_ARGS)

# record re-records what real clients print against real misconfigured
# servers (lint/diagnose/testdata/recordings), then regrades explain on it
# and rewrites the accuracy table in docs/troubleshooting.md. `make test`
# replays the scenarios live and fails when a recording no longer
# reproduces; an output whose program's version changed is re-recorded
# in place instead (commit it after `go test -run TestExplainOnRecordings
# ./lint/diagnose -args -update-accuracy`). Needs root (a private network
# namespace).
record: deps
	$(GO) test -tags $(GOTAGS) -count=1 -run '^TestRecordedClientsReproduce$$' ./lint/diagnose -args -record
	$(GO) test -tags $(GOTAGS) -count=1 -run '^TestExplainOnRecordings$$' ./lint/diagnose -args -update-accuracy

# record-probe re-records only diagnose's own verdicts against the live
# servers (the peers' outputs stay as recorded), then regrades.
record-probe: deps
	$(GO) test -tags $(GOTAGS) -count=1 -run '^TestRecordedClientsReproduce$$' ./lint/diagnose -args -record-probe
	$(GO) test -tags $(GOTAGS) -count=1 -run '^TestExplainOnRecordings$$' ./lint/diagnose -args -update-accuracy

# record-times replays every live scenario and writes how long each took
# (lint/diagnose/testdata/replay-seconds.txt): make test's replay starts
# the slowest first. Run it after adding a round.
record-times: deps
	$(GO) test -tags $(GOTAGS) -count=1 -run '^TestRecordedClientsReproduce$$' ./lint/diagnose -args -record-times

fmt:
	gofmt -w $$(git ls-files '*.go')

# fuzz runs every fuzz target for FUZZTIME each (their seed corpora in
# testdata/fuzz/ already run in every `go test`). Targets are found by
# name, one `go test -fuzz` per target as Go requires.
FUZZTIME ?= 30s
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
		pkg=$$(dirname $$f); \
		for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "== $$pkg $$t ($(FUZZTIME))"; \
			$(GO) test -tags $(GOTAGS) -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done
