package demo

// Vocabularies of the demo community. They are read-only tables: the
// generator draws from them with its own seeded random source and never
// changes them.
//
// The demo project is "Kestrel", a distributed key-value store with a web
// console, a Kubernetes operator and a Python client: enough areas for the
// expertise directory to be interesting.

// demoCulture is a naming tradition. Entries are "display" or
// "display|ascii" when the display form has no obvious ASCII folding
// (CJK, Cyrillic); the ASCII form is what handles and e-mails are made of.
type demoCulture struct {
	given, family []string
	familyFirst   bool // native order puts the family name first, without a space
	nativeShare   int  // percent of people shown in the native script/order
	locations     []string
}

var demoCultures = []demoCulture{
	{ // English-speaking
		given:     []string{"Emily", "James", "Olivia", "Michael", "Sarah", "David", "Jessica", "Daniel", "Hannah", "Ryan", "Megan", "Chris", "Laura", "Tom", "Rachel", "Ben"},
		family:    []string{"Smith", "Johnson", "Brown", "Taylor", "Walker", "Harris", "Clarke", "Lewis", "Robinson", "Wright", "Thompson", "Hughes", "Edwards", "Baker"},
		locations: []string{"London", "Manchester", "Seattle", "Austin", "Toronto", "Dublin", "Melbourne", "Portland", "Boston", "Edinburgh"},
	},
	{ // German
		given:     []string{"Zoë", "Jürgen", "Lena", "Matthias", "Anja", "Tobias", "Sönke", "Katrin", "Felix", "Jörg", "Mareike", "Björn", "Ute", "Lukas"},
		family:    []string{"Müller", "Schäfer", "Weiß", "Becker", "Hoffmann", "Krüger", "Schröder", "Wagner", "Fuchs", "Köhler", "Neumann", "Vogel"},
		locations: []string{"Berlin", "Munich", "Hamburg", "Cologne", "Leipzig", "Vienna", "Zurich"},
	},
	{ // Spanish
		given:     []string{"José", "María", "Lucía", "Javier", "Sofía", "Álvaro", "Carmen", "Iñaki", "Pilar", "Raúl", "Marta", "Andrés"},
		family:    []string{"García", "Martínez", "López", "Sánchez", "Fernández", "Gómez", "Díaz", "Muñoz", "Ruiz", "Jiménez", "Ortega"},
		locations: []string{"Madrid", "Barcelona", "Valencia", "Bilbao", "Mexico City", "Buenos Aires", "Bogotá", "Santiago"},
	},
	{ // French
		given:     []string{"Émilie", "Julien", "Camille", "Théo", "Chloé", "Mathieu", "Léa", "François", "Hélène", "Benoît", "Margaux", "Gaël"},
		family:    []string{"Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Bonnet", "Rousseau", "Mercier", "Faure", "Chevalier"},
		locations: []string{"Paris", "Lyon", "Toulouse", "Nantes", "Montréal", "Brussels", "Geneva"},
	},
	{ // Polish
		given:     []string{"Łukasz", "Agnieszka", "Paweł", "Małgorzata", "Michał", "Katarzyna", "Wojciech", "Zofia", "Grzegorz", "Joanna", "Bartłomiej"},
		family:    []string{"Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamiński", "Lewandowska", "Zieliński", "Szymańska", "Dąbrowski", "Kozłowski"},
		locations: []string{"Kraków", "Warsaw", "Wrocław", "Gdańsk", "Poznań"},
	},
	{ // Nigerian
		given:     []string{"Ngozi", "Chinedu", "Adaeze", "Oluwaseun", "Emeka", "Funmilayo", "Tunde", "Chiamaka", "Ifeanyi", "Yetunde", "Babajide"},
		family:    []string{"Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Adebayo", "Ogunleye", "Obi", "Afolabi"},
		locations: []string{"Lagos", "Abuja", "Ibadan", "Enugu", "Port Harcourt"},
	},
	{ // Indian
		given:     []string{"Priya", "Arjun", "Ananya", "Rahul", "Kavya", "Vikram", "Sneha", "Aditya", "Divya", "Karthik", "Meera", "Rohan"},
		family:    []string{"Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Krishnan", "Mehta", "Rao", "Banerjee", "Kulkarni"},
		locations: []string{"Bengaluru", "Pune", "Hyderabad", "Chennai", "Mumbai", "Delhi"},
	},
	{ // Chinese
		given:       []string{"伟|Wei", "芳|Fang", "静|Jing", "磊|Lei", "敏|Min", "杰|Jie", "婷|Ting", "浩|Hao", "雪|Xue", "鹏|Peng", "丽娜|Lina", "子涵|Zihan"},
		family:      []string{"王|Wang", "李|Li", "张|Zhang", "刘|Liu", "陈|Chen", "杨|Yang", "赵|Zhao", "黄|Huang", "周|Zhou", "吴|Wu"},
		familyFirst: true, nativeShare: 45,
		locations: []string{"Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Taipei", "Singapore"},
	},
	{ // Japanese
		given:       []string{"健|Ken", "陽菜|Hina", "翔|Sho", "結衣|Yui", "大輔|Daisuke", "美咲|Misaki", "拓也|Takuya", "葵|Aoi", "悠真|Yuma", "さくら|Sakura"},
		family:      []string{"佐藤|Sato", "鈴木|Suzuki", "高橋|Takahashi", "田中|Tanaka", "伊藤|Ito", "渡辺|Watanabe", "山本|Yamamoto", "中村|Nakamura"},
		familyFirst: true, nativeShare: 35,
		locations: []string{"Tokyo", "Osaka", "Kyoto", "Fukuoka"},
	},
	{ // Korean
		given:       []string{"민준|Minjun", "서연|Seoyeon", "지훈|Jihoon", "수빈|Subin", "현우|Hyunwoo", "지은|Jieun", "도윤|Doyun", "하은|Haeun"},
		family:      []string{"김|Kim", "이|Lee", "박|Park", "최|Choi", "정|Jung", "강|Kang", "윤|Yoon"},
		familyFirst: true, nativeShare: 40,
		locations: []string{"Seoul", "Busan", "Daejeon"},
	},
	{ // Brazilian
		given:     []string{"João", "Ana", "Gabriel", "Beatriz", "Thiago", "Larissa", "Lucas", "Juliana", "Rafael", "Fernanda", "Caio"},
		family:    []string{"Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida", "Carvalho", "Araújo"},
		locations: []string{"São Paulo", "Rio de Janeiro", "Porto Alegre", "Belo Horizonte", "Lisbon", "Porto"},
	},
	{ // Russian and Ukrainian
		given:       []string{"Dmitry", "Olga", "Sergey", "Anastasia", "Alexei", "Iryna", "Mykola", "Yulia", "Андрей|Andrey", "Наталья|Natalya", "Oleksandr"},
		family:      []string{"Ivanov", "Petrova", "Smirnov", "Kuznetsova", "Shevchenko", "Bondarenko", "Kovalenko", "Соколов|Sokolov", "Морозова|Morozova"},
		nativeShare: 100,
		locations:   []string{"Kyiv", "Lviv", "Tbilisi", "Belgrade", "Yerevan", "Limassol"},
	},
	{ // Turkish
		given:     []string{"Ayşe", "Mehmet", "Elif", "Emre", "Zeynep", "Burak", "Gülşen", "Oğuz", "İrem", "Çağrı"},
		family:    []string{"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan", "Doğan"},
		locations: []string{"Istanbul", "Ankara", "Izmir"},
	},
	{ // Vietnamese
		given:     []string{"Linh", "Minh", "Trang", "Huy", "Ngọc", "Tuấn", "Thảo", "Dũng", "Phương"},
		family:    []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"},
		locations: []string{"Hanoi", "Ho Chi Minh City", "Da Nang"},
	},
	{ // Nordic and Dutch
		given:     []string{"Søren", "Ingrid", "Åsa", "Lars", "Sanne", "Pieter", "Freja", "Mikkel", "Eline", "Joost", "Sigrún", "Bram"},
		family:    []string{"Jensen", "Andersson", "Nilsson", "Østergaard", "de Vries", "van Dijk", "Bakker", "Lindqvist", "Halvorsen", "Visser"},
		locations: []string{"Copenhagen", "Stockholm", "Oslo", "Amsterdam", "Utrecht", "Helsinki", "Reykjavík"},
	},
	{ // Arabic
		given:     []string{"Omar", "Fatima", "Youssef", "Layla", "Karim", "Nour", "Hassan", "Amira", "Tariq", "Salma"},
		family:    []string{"Haddad", "Khalil", "Mansour", "Nasser", "Farouk", "Saleh", "Aziz", "Hamdan"},
		locations: []string{"Cairo", "Amman", "Dubai", "Casablanca", "Beirut"},
	},
	{ // Italian
		given:     []string{"Giulia", "Marco", "Francesca", "Alessandro", "Chiara", "Niccolò", "Federica", "Matteo", "Elisa"},
		family:    []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "De Luca"},
		locations: []string{"Milan", "Turin", "Bologna", "Rome", "Florence"},
	},
	{ // East African
		given:     []string{"Wanjiru", "Otieno", "Amani", "Achieng", "Baraka", "Nyambura", "Juma", "Zawadi"},
		family:    []string{"Kamau", "Odhiambo", "Mwangi", "Njoroge", "Wekesa", "Mutua", "Kiprop"},
		locations: []string{"Nairobi", "Kampala", "Kigali", "Dar es Salaam"},
	},
}

// demoFolds turns the Latin letters with diacritics used above into ASCII
// for handles and e-mail addresses.
var demoFolds = []string{
	"ä", "a", "á", "a", "à", "a", "â", "a", "ã", "a", "å", "a", "ą", "a", "ă", "a",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "ę", "e", "ễ", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i", "ı", "i", "İ", "i",
	"ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o", "ø", "o", "ọ", "o",
	"ú", "u", "ù", "u", "û", "u", "ü", "u", "ũ", "u", "ư", "u", "ũ", "u",
	"ñ", "n", "ń", "n", "ç", "c", "ć", "c", "č", "c", "ş", "s", "ś", "s", "š", "s",
	"ł", "l", "ż", "z", "ź", "z", "ž", "z", "ğ", "g", "ß", "ss", "đ", "d", "ý", "y",
	"ũ", "u", "ấ", "a", "ả", "a", "ạ", "a", "ả", "a", "ạ", "a", "ộ", "o", "ồ", "o", "ố", "o",
	"ề", "e", "ế", "e", "ệ", "e", "ị", "i", "ủ", "u", "ụ", "u", "ỹ", "y", "ỳ", "y",
	"Á", "A", "Ä", "A", "Å", "A", "É", "E", "Í", "I", "Ó", "O", "Ö", "O", "Ø", "O",
	"Ú", "U", "Ü", "U", "Ł", "L", "Ś", "S", "Ş", "S", "Ç", "C", "Č", "C", "Ž", "Z", "Đ", "D",
}

// demoOrgNames are hand-picked organisation names; larger demos add
// combinations of demoOrgPrefixes and demoOrgSuffixes.
var demoOrgNames = []string{
	"Northwind Labs", "Bluefin Systems", "Corvid Cloud", "Tessellate", "Halyard Data",
	"Marlowe & Finch", "Quokka Analytics", "Ironbark Software", "Lumen Networks", "Driftwood Digital",
	"Packet Foundry", "Arcturus Health", "Copperleaf Bank", "Sable Logistics", "Fennec Security",
	"Orchard Robotics", "Vireo Games", "Kinetica Energy", "Basalt Hosting", "Pinecone Retail",
	"Umbra Media", "Wayfarer Travel", "Gridline Telecom", "Helio Mobility", "Tidewater Insurance",
	"Obsidian Research", "Larkspur Education", "Nimbus Works", "Saffron Commerce", "Quarry Automotive",
	"Juniper Point", "Meridian Payments", "Brightwell University", "Cobalt Satellite", "Foxglove Bio",
	"Stackhaus", "Redwood Public Radio", "Alder Consulting", "Trellis Open Source Foundation", "Kestrel Labs",
	"Polaris Freight", "Mosaic Maps", "Granite Ledger", "Heron Observatory", "Ember Fintech",
}

var demoOrgPrefixes = []string{
	"Aurora", "Beacon", "Cascade", "Delta", "Evergreen", "Falcon", "Glacier", "Harbor", "Indigo",
	"Jasper", "Keystone", "Lattice", "Magnolia", "Nova", "Onyx", "Prairie", "Quartz", "Riverbend",
	"Summit", "Thistle", "Upland", "Vantage", "Willow", "Zephyr", "Birch", "Cinder", "Dune", "Fjord",
}

var demoOrgSuffixes = []string{
	"Systems", "Labs", "Software", "Cloud", "Data", "Networks", "Analytics", "Technologies",
	"Health", "Capital", "Media", "Robotics", "Logistics", "Energy", "Studios", "Security",
}

// demoFreeMail are personal e-mail domains: they never make an organisation.
var demoFreeMail = []string{
	"gmail.com", "gmail.com", "gmail.com", "gmail.com", "outlook.com", "outlook.com", "fastmail.com",
	"proton.me", "hey.com", "icloud.com", "yahoo.com", "posteo.de", "mailbox.org", "gmx.de",
	"qq.com", "163.com", "naver.com", "yandex.ru", "hotmail.com", "protonmail.com",
}

// demoTopic is one area of the project: where its code lives and what
// people write about it.
type demoTopic struct {
	name    string
	repo    string   // repository (without the organisation)
	dirs    []string // directories touched by commits in this area
	files   []string
	objects []string // what commits and pull requests change
	bugs    []string // issue titles
	asks    []string // question titles
}

var demoTopics = []demoTopic{
	{name: "networking", repo: "kestrel",
		dirs:    []string{"net/transport", "net/rpc", "net/tls", "net/gossip"},
		files:   []string{"conn.go", "dialer.go", "pool.go", "frame.go", "keepalive.go", "backoff.go"},
		objects: []string{"connection pool exhaustion", "keepalive defaults", "frame size limit", "dialer timeouts", "gossip fan-out", "idle connection reaping"},
		bugs:    []string{"Connection reset by peer under sustained load", "Client hangs forever when a node restarts", "Gossip storms after a network partition heals", "TLS handshake timeout on slow links", "IPv6 addresses rejected in --peers"},
		asks:    []string{"How do I run a cluster across two data centres?", "Which ports need to be open between nodes?", "Is it safe to put a load balancer in front of the RPC port?", "Why do my clients see \"connection refused\" during rolling restarts?", "Can nodes talk over a VPN with high latency?"},
	},
	{name: "storage", repo: "kestrel",
		dirs:    []string{"storage/wal", "storage/lsm", "storage/compaction", "storage/cache"},
		files:   []string{"segment.go", "memtable.go", "compact.go", "bloom.go", "checksum.go", "manifest.go"},
		objects: []string{"write-ahead log rotation", "compaction scheduling", "bloom filter sizing", "block cache eviction", "manifest recovery", "checksum verification"},
		bugs:    []string{"Compaction stalls writes for several seconds", "Disk usage keeps growing after deletes", "Corrupted segment after power loss", "Memory usage spikes during bulk import", "WAL replay takes minutes on startup"},
		asks:    []string{"How much disk space should I plan for 500 GB of data?", "What does the \"compaction debt\" metric mean?", "Can I store values larger than 1 MB?", "How do I reclaim space after deleting a prefix?", "Is there a way to back up without stopping writes?"},
	},
	{name: "consensus", repo: "kestrel",
		dirs:    []string{"raft", "raft/membership", "raft/snapshot"},
		files:   []string{"log.go", "election.go", "snapshot.go", "membership.go", "transport.go"},
		objects: []string{"leader election timeouts", "snapshot streaming", "joint consensus changes", "log truncation", "pre-vote support"},
		bugs:    []string{"Split brain after two nodes restart at once", "Leader election loops when clocks drift", "Snapshot transfer never finishes on large clusters", "Removed node keeps voting"},
		asks:    []string{"How many nodes should a production cluster have?", "What happens to writes while a leader is being elected?", "Can I add a node without downtime?", "Why does my cluster lose quorum when one zone goes down?"},
	},
	{name: "api", repo: "kestrel",
		dirs:    []string{"api/v1", "api/grpc", "api/http"},
		files:   []string{"handlers.go", "schema.proto", "errors.go", "pagination.go", "batch.go"},
		objects: []string{"pagination tokens", "batch write API", "error codes", "range scan limits", "conditional puts"},
		bugs:    []string{"Range scan returns duplicate keys across pages", "HTTP API returns 500 instead of 404 for missing keys", "Batch writes are not atomic across shards", "gRPC deadline ignored for watch streams"},
		asks:    []string{"Is there a transaction API?", "How do I watch a prefix for changes?", "What is the difference between the HTTP and gRPC APIs?", "Can I do a compare-and-swap on a key?"},
	},
	{name: "security", repo: "kestrel",
		dirs:    []string{"security/authn", "security/acl", "security/tls"},
		files:   []string{"token.go", "rbac.go", "audit.go", "certs.go", "rotate.go"},
		objects: []string{"certificate rotation", "role-based access checks", "audit log format", "token expiry", "mTLS between peers"},
		bugs:    []string{"Expired client certificates are still accepted", "Audit log misses failed logins", "ACL check skipped for batch requests"},
		asks:    []string{"How do I rotate TLS certificates without a restart?", "Does Kestrel support encryption at rest?", "How do I give a service read-only access to one prefix?"},
	},
	{name: "docs", repo: "kestrel",
		dirs:    []string{"docs/guides", "docs/reference", "docs/operations"},
		files:   []string{"quickstart.md", "configuration.md", "backup.md", "upgrading.md", "faq.md", "glossary.md"},
		objects: []string{"quickstart guide", "configuration reference", "upgrade notes", "backup tutorial", "FAQ", "architecture overview"},
		bugs:    []string{"Quickstart fails on macOS with Apple silicon", "Configuration reference lists removed flags", "Broken links in the operations guide"},
		asks:    []string{"Where can I find the docs for the 2.x series?", "Is there a guide for migrating from Redis?", "Are there recommended settings for small VMs?"},
	},
	{name: "ci", repo: "kestrel",
		dirs:    []string{".ci", ".github/workflows", ".ci/scripts"},
		files:   []string{"build.yml", "release.yml", "lint.sh", "test-matrix.yml", "fuzz.yml"},
		objects: []string{"release pipeline", "test matrix", "lint job", "nightly fuzzing", "artifact signing"},
		bugs:    []string{"Flaky TestSnapshotRestore on arm64 runners", "Release job uploads unsigned checksums", "Nightly fuzzing job times out"},
		asks:    []string{"How do I run the integration tests locally?", "Why does CI fail on my fork but not upstream?"},
	},
	{name: "ui", repo: "kestrel-console",
		dirs:    []string{"ui/src/components", "ui/src/pages", "ui/src/api"},
		files:   []string{"Dashboard.tsx", "KeyBrowser.tsx", "ClusterMap.tsx", "client.ts", "theme.css"},
		objects: []string{"key browser", "cluster map", "dark mode", "metrics dashboard", "login page"},
		bugs:    []string{"Key browser freezes with more than 10k keys", "Dark mode makes charts unreadable", "Console shows stale node status"},
		asks:    []string{"Can the console be served under a sub-path?", "How do I enable single sign-on for the console?"},
	},
	{name: "cli", repo: "kestrel",
		dirs:    []string{"cmd/kestrelctl", "cmd/kestrel"},
		files:   []string{"main.go", "backup.go", "status.go", "flags.go", "completion.go"},
		objects: []string{"kestrelctl status output", "shell completion", "backup command", "flag parsing", "JSON output"},
		bugs:    []string{"kestrelctl backup ignores --output", "Shell completion broken in zsh", "kestrelctl status panics when a node is down"},
		asks:    []string{"How do I script kestrelctl with JSON output?", "Is there a way to restore a single prefix from a backup?"},
	},
	{name: "observability", repo: "kestrel",
		dirs:    []string{"metrics", "tracing", "logging"},
		files:   []string{"prometheus.go", "spans.go", "histogram.go", "logger.go"},
		objects: []string{"Prometheus metrics", "OpenTelemetry spans", "latency histograms", "structured logging", "slow query log"},
		bugs:    []string{"Metric names changed without notice", "Tracing adds 20% latency", "Log level flag ignored"},
		asks:    []string{"Which metrics should I alert on?", "Is there a Grafana dashboard for Kestrel?", "How do I enable tracing for one request?"},
	},
	{name: "kubernetes", repo: "kestrel-operator",
		dirs:    []string{"controllers", "charts/kestrel", "api/v1alpha1"},
		files:   []string{"reconcile.go", "values.yaml", "statefulset.go", "crd.yaml", "upgrade.go"},
		objects: []string{"rolling upgrades", "Helm chart values", "StatefulSet templates", "CRD validation", "pod disruption budgets"},
		bugs:    []string{"Operator deletes PVCs on scale-down", "Helm chart ignores resource limits", "Rolling upgrade stuck at the second pod"},
		asks:    []string{"How do I run Kestrel on Kubernetes?", "Does the operator support multiple clusters per namespace?", "What storage class should I use on EKS?"},
	},
	{name: "clients", repo: "kestrel-py",
		dirs:    []string{"kestrel", "kestrel/aio", "tests"},
		files:   []string{"client.py", "pool.py", "retry.py", "test_client.py", "types.py"},
		objects: []string{"async client", "retry policy", "type hints", "connection pooling", "Python 3.13 support"},
		bugs:    []string{"Async client leaks connections", "Retries hide authentication errors", "Wheel missing for Python 3.13 on Windows"},
		asks:    []string{"Is the Python client thread-safe?", "How do I use the async client with FastAPI?", "Is there an official Java or Rust client?"},
	},
}

var demoVerbs = []string{"fix", "add", "simplify", "refactor", "document", "speed up", "test", "rework", "harden", "clean up", "support", "deprecate"}

// demoForumCategories map to topics; "" means general talk.
var demoForumCategories = []struct{ name, topic string }{
	{"Help", ""}, {"Operations", "storage"}, {"Development", "consensus"}, {"Kubernetes", "kubernetes"},
	{"Show and tell", ""}, {"Ideas", "api"}, {"Announcements", ""}, {"Security", "security"},
}

var demoForumTalk = []string{
	"Kestrel 3.2 released", "Running Kestrel on Raspberry Pi clusters", "Our migration from etcd, one year later",
	"Proposal: pluggable storage engines", "Benchmark results on NVMe vs. network disks", "Community call notes",
	"Introducing the new console", "What are you building with Kestrel?", "Roadmap for the next release",
	"Welcome new maintainers!", "Feedback wanted: configuration file format", "Case study: 2 billion keys at a fintech",
}

var demoMailingLists = []string{"kestrel-users", "kestrel-dev", "kestrel-announce"}

var demoChatRooms = []struct{ name, topic string }{
	{"general", ""}, {"help", ""}, {"dev", ""}, {"storage", "storage"}, {"console", "ui"},
	{"operator", "kubernetes"}, {"docs", "docs"}, {"random", ""},
}

var demoChatLines = []string{
	"anyone else seeing flaky raft tests on main today?", "thanks, that fixed it!", "the release candidate is up, please test",
	"is there a recording of yesterday's community call?", "which version are you running?", "can someone review my PR when they have a minute?",
	"just upgraded our staging cluster, smooth so far", "good first issues are labelled, have a look", "how do I get the debug logs from the operator?",
	"I'll take a look after lunch", "welcome! the contributing guide is a good start", "the nightly build is green again",
	"does the python client support asyncio yet?", "hello everyone, new here", "sharing our Grafana dashboard in the docs channel",
	"meetup slides are on the wiki", "I think this is the same bug as the compaction stall", "we should mention this in the upgrade notes",
}

var demoBios = []string{
	"Distributed systems, coffee, climbing.", "Infrastructure engineer. Opinions are my own.", "SRE by day, synth nerd by night.",
	"Databases and the people who run them.", "Maintainer of too many side projects.", "Student. Learning Go and Rust.",
	"Platform team lead.", "Open source enthusiast.", "Building data tools for scientists.", "", "", "",
}

var demoDependencies = []string{"golang.org/x/net", "golang.org/x/crypto", "google.golang.org/grpc", "github.com/prometheus/client_golang",
	"go.opentelemetry.io/otel", "react", "vite", "typescript", "actions/checkout", "k8s.io/client-go", "pytest", "urllib3"}

// demoPlace is a city where events happen, with a venue, the currency
// they are paid in and the region a conference there is named after.
type demoPlace struct{ city, venue, currency, region string }

// demoEventPlaces are cities with the currency events there are paid in.
var demoEventPlaces = []demoPlace{
	{"Berlin", "c-base", "EUR", "Europe"}, {"Lisbon", "LX Factory", "EUR", "Europe"}, {"Bengaluru", "NIMHANS Convention Centre", "USD", "Asia"},
	{"São Paulo", "Cubo Itaú", "USD", "Americas"}, {"Nairobi", "iHub", "USD", "Africa"}, {"Toronto", "Centre for Social Innovation", "USD", "Americas"},
	{"Tokyo", "Shibuya Stream Hall", "USD", "Asia"}, {"Kraków", "ICE Kraków", "EUR", "Europe"}, {"Lagos", "Co-Creation Hub", "USD", "Africa"},
	{"Austin", "Capital Factory", "USD", "Americas"}, {"Amsterdam", "Pakhuis de Zwijger", "EUR", "Europe"}, {"Seoul", "D.CAMP", "USD", "Asia"},
	{"Brussels", "ULB Solbosch", "EUR", "Europe"}, {"Barcelona", "Fira Gran Via", "EUR", "Europe"}, {"Paris", "Station F", "EUR", "Europe"},
	{"Singapore", "Block71", "USD", "Asia"}, {"Mexico City", "WeWork Reforma", "USD", "Americas"}, {"Warsaw", "Google for Startups Campus", "EUR", "Europe"},
}

var demoTalkTitles = []string{
	"Inside the write path: from WAL to compaction", "Running Kestrel on Kubernetes without tears", "Raft in practice: lessons from five years of production",
	"Observability for key-value stores", "Zero-downtime certificate rotation", "Building a web console people actually use",
	"Async Python clients done right", "How we test distributed systems", "Your first contribution to Kestrel",
	"Capacity planning for LSM trees", "Multi-region replication patterns", "Fuzzing a database in CI",
}

var demoEventTasks = []string{
	"Book the venue", "Confirm speakers", "Publish the schedule", "Order swag", "Arrange catering",
	"Set up registration", "Recruit volunteers", "Organise recording", "Send travel grant decisions",
	"Announce on the forum", "Print badges", "Send thank-you notes",
}

var demoNoteBodies = []string{
	"Met at the Berlin meetup, keen to help with the docs.", "Interested in mentoring newcomers on the storage engine.",
	"Works on the storage team at their company; good contact for compaction questions.", "Asked about sponsoring the next conference.",
	"Offered to translate the quickstart into Portuguese.", "Prefers async review; based in UTC+9.",
	"Gave a great lightning talk, invite again.", "Stepping back for a few months (parental leave).",
	"Reported several security issues responsibly.", "Runs the largest known production cluster (400 nodes).",
}

var demoTagNames = []string{"docs-team", "release-team", "translator", "good-reviewer", "first-timer", "sponsor-contact", "security-reporter", "meetup-host", "newsletter"}
