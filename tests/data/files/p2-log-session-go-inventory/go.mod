module github.com/acme/stockroom

go 1.22

require (
	github.com/gin-gonic/gin v1.10.0
	github.com/robfig/cron/v3 v3.0.1
	gorm.io/driver/postgres v1.5.7
	gorm.io/gorm v1.25.10
)
